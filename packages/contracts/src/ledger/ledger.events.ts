import { z } from 'zod';
import { defineEvent } from '../catalogue';

/** The audit service's own stream: the signed checkpoints of the ledger over the global log. */
export const LEDGER_STREAM = 'ledger-checkpoints';
/** Journey id of ledger events (they belong to the log as a whole, not to a clue). */
export const LEDGER_CORRELATION = 'ledger';

const base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 SHA-256 hash');

export const LedgerCheckpointed = defineEvent({
  type: 'LedgerCheckpointed',
  version: 1,
  owner: 'audit',
  category: 'ledger',
  summary: 'The audit service signed the Merkle tree head of the log (C2SP checkpoint, Ed25519): its first treeSize events can no longer be rewritten unnoticed.',
  payload: z.object({
    origin: z.string().min(1),
    treeSize: z.number().int().positive().describe('the checkpoint covers the first treeSize events of the global log'),
    rootHash: base64Hash.describe('RFC 9162 Merkle tree hash of those events'),
    note: z.string().min(1).describe('the signed note (C2SP tlog-checkpoint), verifiable with the published key'),
    keyId: z.string().regex(/^[0-9a-f]{8}$/),
    lastEventId: z.string().describe('the last event the checkpoint covers'),
  }),
});
