import { z } from 'zod';

// HTTP DTOs of the ledger: signed checkpoints over the global log, and Merkle proofs against them.

const count = (what: string) => z.string().regex(/^\d{1,15}$/, `must be ${what} (a non-negative integer)`).transform(Number);
const base64Hash = z.string().describe('a SHA-256 hash, base64');

export const LedgerKeyResponse = z.object({
  origin: z.string().describe('the checkpoint origin: names this log'),
  algorithm: z.literal('Ed25519'),
  verifierKey: z.string().describe('C2SP signed-note verifier key: <name>+<key id>+<base64(0x01 ‖ public key)>'),
  publicKeyPem: z.string(),
});
export type LedgerKeyResponse = z.infer<typeof LedgerKeyResponse>;

export const LedgerCheckpoint = z.object({
  treeSize: z.number().int(),
  rootHash: base64Hash,
  note: z.string().describe('the signed note text'),
  position: z.number().int().describe('global position of the LedgerCheckpointed event that records it'),
  eventId: z.string(),
  recordedAt: z.string(),
});
export type LedgerCheckpoint = z.infer<typeof LedgerCheckpoint>;

export const LedgerStatusResponse = z.object({
  origin: z.string(),
  verifierKey: z.string(),
  treeSize: z.number().int().describe('events of the log in the tree'),
  rootHash: base64Hash,
  lastPosition: z.number().int().describe('global position of the last event in the tree'),
  lastCheckpoint: LedgerCheckpoint.nullable(),
  checkpointEvery: z.object({ events: z.number().int(), intervalMs: z.number().int() }),
  integrity: z.object({
    ok: z.boolean(),
    problems: z.array(z.string()).describe('what the service found when it checked the log against the signed checkpoints'),
  }),
});
export type LedgerStatusResponse = z.infer<typeof LedgerStatusResponse>;

export const LedgerCheckpointsQuery = z
  .object({
    after: count('a tree size').optional().describe('only checkpoints of larger trees'),
    limit: count('a number').pipe(z.number().int().min(1).max(1000)).optional().default(100),
  })
  .strict();
export type LedgerCheckpointsQuery = z.infer<typeof LedgerCheckpointsQuery>;

export const LedgerCheckpointsResponse = z.object({ items: z.array(LedgerCheckpoint) });
export type LedgerCheckpointsResponse = z.infer<typeof LedgerCheckpointsResponse>;

/** An event exactly as stored (actor and payload as the stored JSON texts): what the leaf hashes. */
export const LedgerRecord = z.object({
  actor: z.string(),
  causationId: z.string(),
  correlationId: z.string(),
  eventId: z.string(),
  globalPosition: z.number().int(),
  occurredAt: z.string(),
  payload: z.string(),
  recordedAt: z.string(),
  schemaVersion: z.number().int(),
  streamId: z.string(),
  streamRevision: z.number().int(),
  type: z.string(),
});
export type LedgerRecord = z.infer<typeof LedgerRecord>;

export const InclusionProofQuery = z
  .object({
    eventId: z.string().uuid().optional(),
    position: count('a global position').optional(),
    treeSize: count('a tree size').optional().describe('prove against this tree size (default: the latest checkpoint)'),
  })
  .strict()
  .refine((q) => (q.eventId === undefined) !== (q.position === undefined), { path: ['eventId'], message: 'give exactly one of eventId or position' });
export type InclusionProofQuery = z.infer<typeof InclusionProofQuery>;

export const InclusionProofResponse = z.object({
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  leafHash: base64Hash,
  rootHash: base64Hash,
  proof: z.array(base64Hash).describe('RFC 9162 inclusion path, sibling nearest the leaf first'),
  checkpoint: LedgerCheckpoint.nullable().describe('the signed checkpoint of this tree size, when there is one'),
  record: LedgerRecord.nullable().describe('the event as stored, when you oversee its journey (else only its hash)'),
  recordMatchesLeaf: z.boolean().nullable().describe('whether the stored event still hashes to the leaf the tree recorded (null without the record)'),
});
export type InclusionProofResponse = z.infer<typeof InclusionProofResponse>;

export const ConsistencyProofQuery = z
  .object({ from: count('a tree size'), to: count('a tree size').optional().describe('default: the latest checkpoint') })
  .strict();
export type ConsistencyProofQuery = z.infer<typeof ConsistencyProofQuery>;

export const ConsistencyProofResponse = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fromRoot: base64Hash,
  toRoot: base64Hash,
  proof: z.array(base64Hash).describe('RFC 9162 consistency proof'),
});
export type ConsistencyProofResponse = z.infer<typeof ConsistencyProofResponse>;

export const LedgerEntriesQuery = z
  .object({
    after: count('a leaf index').optional().default(0).describe('entries with a leaf index ≥ after'),
    limit: count('a number').pipe(z.number().int().min(1).max(10_000)).optional().default(1000),
  })
  .strict();
export type LedgerEntriesQuery = z.infer<typeof LedgerEntriesQuery>;

export const LedgerEntry = z.object({
  leafIndex: z.number().int(),
  leafHash: base64Hash,
  record: LedgerRecord.nullable().describe('the stored event when you oversee its journey; otherwise only the hash, which still lets you check every signed root'),
});

export const LedgerEntriesResponse = z.object({
  items: z.array(LedgerEntry),
  treeSize: z.number().int(),
  nextAfter: z.number().int(),
});
export type LedgerEntriesResponse = z.infer<typeof LedgerEntriesResponse>;
