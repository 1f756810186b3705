import { Controller, Get, Post, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ConsistencyProofQuery,
  ConsistencyProofResponse,
  InclusionProofQuery,
  InclusionProofResponse,
  LedgerCheckpoint,
  LedgerCheckpointsQuery,
  LedgerCheckpointsResponse,
  LedgerEntriesQuery,
  LedgerEntriesResponse,
  LedgerKeyResponse,
  LedgerStatusResponse,
  type Actor,
} from '@atr/contracts';
import { CurrentActor, Endpoint, NotFound } from '@atr/platform';
import { AUDIT_ACCESS } from '../access/audit-access';
import { LedgerService } from './ledger.service';
import { GetConsistencyProof, GetInclusionProof, GetLedgerEntries, GetLedgerStatus } from './ledger.queries';

const tags = ['ledger'];

@Controller('audit/ledger')
export class LedgerController {
  constructor(
    private readonly queries: QueryBus,
    private readonly ledger: LedgerService,
  ) {}

  @Get('key')
  @Endpoint({
    summary: 'The public key that signs the checkpoints',
    description: 'Public on purpose: anyone holding it can check a checkpoint (C2SP signed note, Ed25519) without trusting this server.',
    tags,
    allow: 'public',
    response: LedgerKeyResponse,
  })
  key(): LedgerKeyResponse {
    return { origin: this.ledger.origin, algorithm: 'Ed25519', verifierKey: this.ledger.verifierKey, publicKeyPem: this.ledger.publicKeyPem };
  }

  @Get()
  @Endpoint({
    summary: 'The ledger: tree size, root, last checkpoint and integrity',
    description: 'The RFC 9162 Merkle tree over the global log. `integrity.problems` lists every recorded checkpoint that no longer matches the log (a rewritten history).',
    tags,
    allow: AUDIT_ACCESS,
    response: LedgerStatusResponse,
  })
  status() {
    return this.queries.execute(new GetLedgerStatus());
  }

  @Get('checkpoints')
  @Endpoint({ summary: 'List signed checkpoints', description: 'Oldest first; each is also a LedgerCheckpointed event of the log.', tags, allow: AUDIT_ACCESS, query: LedgerCheckpointsQuery, response: LedgerCheckpointsResponse })
  async checkpoints(@QueryParams() query: LedgerCheckpointsQuery): Promise<LedgerCheckpointsResponse> {
    await this.ledger.follow();
    const after = query.after ?? 0;
    return { items: this.ledger.checkpoints().filter((c) => c.treeSize > after).slice(0, query.limit) };
  }

  @Post('checkpoints')
  @Endpoint({
    summary: 'Sign a checkpoint now',
    description: 'Signs the current tree head and records it (LedgerCheckpointed). When nothing but checkpoints was recorded since the last one, answers the last one.',
    tags,
    allow: AUDIT_ACCESS,
    status: 200,
    response: LedgerCheckpoint,
    errors: { 404: 'the log is empty: nothing to sign' },
  })
  async sign(): Promise<LedgerCheckpoint> {
    const checkpoint = await this.ledger.checkpoint();
    if (!checkpoint) throw new NotFound('checkpoint', '(the log is empty)');
    return checkpoint;
  }

  @Get('proofs/inclusion')
  @Endpoint({
    summary: 'Prove that an event is in the log',
    description:
      'RFC 9162 inclusion proof of the event (by `eventId` or `position`) against a tree size (default: the latest checkpoint). ' +
      'Verify it with the leaf hash recomputed from the record (SHA-256(0x00 ‖ JCS of the stored record)) and the checkpoint’s signed root.',
    tags,
    allow: AUDIT_ACCESS,
    query: InclusionProofQuery,
    response: InclusionProofResponse,
    errors: { 404: 'no such event', 422: 'TREE_SIZE_BEYOND_LOG, EVENT_AFTER_TREE_SIZE' },
  })
  inclusion(@QueryParams() query: InclusionProofQuery, @CurrentActor() auditor: Actor) {
    return this.queries.execute(new GetInclusionProof(query, auditor));
  }

  @Get('proofs/consistency')
  @Endpoint({
    summary: 'Prove that a later tree extends an earlier one',
    description: 'RFC 9162 consistency proof between tree sizes `from` and `to` (default: the latest checkpoint): nothing before `from` was rewritten.',
    tags,
    allow: AUDIT_ACCESS,
    query: ConsistencyProofQuery,
    response: ConsistencyProofResponse,
    errors: { 422: 'TREE_SIZE_BEYOND_LOG, CONSISTENCY_FROM_AFTER_TO' },
  })
  consistency(@QueryParams() query: ConsistencyProofQuery) {
    return this.queries.execute(new GetConsistencyProof(query));
  }

  @Get('entries')
  @Endpoint({
    summary: 'Read the leaves in order (for offline verification and export)',
    description: 'Each leaf’s hash, with the stored event when you oversee its journey. Page with `after` = the previous `nextAfter`.',
    tags,
    allow: AUDIT_ACCESS,
    query: LedgerEntriesQuery,
    response: LedgerEntriesResponse,
  })
  entries(@QueryParams() query: LedgerEntriesQuery, @CurrentActor() auditor: Actor) {
    return this.queries.execute(new GetLedgerEntries(query, auditor));
  }
}
