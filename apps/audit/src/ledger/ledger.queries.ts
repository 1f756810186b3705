import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type {
  Actor,
  ConsistencyProofQuery,
  ConsistencyProofResponse,
  InclusionProofQuery,
  InclusionProofResponse,
  LedgerCheckpoint,
  LedgerEntriesQuery,
  LedgerEntriesResponse,
  LedgerRecord,
  LedgerStatusResponse,
} from '@atr/contracts';
import type { EventStore, StoredRecord } from '@atr/event-store';
import { leafHashOfRecord } from '@atr/ledger';
import { EVENT_STORE, NotFound, PLATFORM_CONFIG, RuleViolation, type PlatformConfig } from '@atr/platform';
import { oversees } from '../access/read-for-audit';
import { toLedgerRecord } from './ledger-record';
import { LedgerService } from './ledger.service';

const b64 = (hash: Buffer) => hash.toString('base64');

export class GetLedgerStatus extends Query<LedgerStatusResponse> {}

export class GetInclusionProof extends Query<InclusionProofResponse> {
  constructor(
    readonly query: InclusionProofQuery,
    readonly auditor: Actor,
  ) {
    super();
  }
}

export class GetConsistencyProof extends Query<ConsistencyProofResponse> {
  constructor(readonly query: ConsistencyProofQuery) {
    super();
  }
}

export class GetLedgerEntries extends Query<LedgerEntriesResponse> {
  constructor(
    readonly query: LedgerEntriesQuery,
    readonly auditor: Actor,
  ) {
    super();
  }
}

@QueryHandler(GetLedgerStatus)
export class GetLedgerStatusHandler implements IQueryHandler<GetLedgerStatus, LedgerStatusResponse> {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async execute(): Promise<LedgerStatusResponse> {
    await this.ledger.follow();
    const checkpoints = this.ledger.checkpoints();
    return {
      origin: this.ledger.origin,
      verifierKey: this.ledger.verifierKey,
      treeSize: this.ledger.size,
      rootHash: b64(this.ledger.root()),
      lastPosition: this.ledger.lastPosition,
      lastCheckpoint: checkpoints[checkpoints.length - 1] ?? null,
      checkpointEvery: { events: this.config.LEDGER_CHECKPOINT_EVERY, intervalMs: this.config.LEDGER_CHECKPOINT_INTERVAL_MS },
      integrity: { ok: this.ledger.problems.length === 0, problems: [...this.ledger.problems] },
    };
  }
}

/** A tree size to prove against: the one asked for, else the latest checkpoint's, else the whole tree. */
function targetSize(ledger: LedgerService, asked: number | undefined): { size: number; checkpoint: LedgerCheckpoint | null } {
  const checkpoints = ledger.checkpoints();
  const size = asked ?? checkpoints[checkpoints.length - 1]?.treeSize ?? ledger.size;
  if (size > ledger.size) throw new RuleViolation('TREE_SIZE_BEYOND_LOG', `the log has ${ledger.size} events, not ${size}`, 422);
  return { size, checkpoint: checkpoints.find((c) => c.treeSize === size) ?? null };
}

/** The stored record, only for an auditor who oversees its journey (the hash is enough for everyone else). */
async function visibleRecord(store: EventStore, record: StoredRecord, auditor: Actor, cache = new Map<string, boolean>()): Promise<LedgerRecord | null> {
  let visible = cache.get(record.correlationId);
  if (visible === undefined) {
    visible = oversees(auditor, await store.readCorrelation(record.correlationId));
    cache.set(record.correlationId, visible);
  }
  return visible ? toLedgerRecord(record) : null;
}

@QueryHandler(GetInclusionProof)
export class GetInclusionProofHandler implements IQueryHandler<GetInclusionProof, InclusionProofResponse> {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ query, auditor }: GetInclusionProof): Promise<InclusionProofResponse> {
    await this.ledger.follow();
    const record = query.eventId !== undefined ? await this.byEventId(query.eventId) : await this.byPosition(query.position!);
    const leafIndex = record ? this.ledger.leafIndexOf(record.globalPosition) : undefined;
    if (!record || leafIndex === undefined) throw new NotFound('event', String(query.eventId ?? query.position));
    const { size, checkpoint } = targetSize(this.ledger, query.treeSize);
    if (leafIndex >= size) throw new RuleViolation('EVENT_AFTER_TREE_SIZE', `event ${record.eventId} is leaf ${leafIndex}, after the tree of size ${size}: ask for a later checkpoint`, 422);
    const leafHash = this.ledger.leafHash(leafIndex);
    const shown = await visibleRecord(this.store, record, auditor);
    return {
      leafIndex,
      treeSize: size,
      leafHash: b64(leafHash),
      rootHash: b64(this.ledger.root(size)),
      proof: this.ledger.inclusionProof(leafIndex, size).map(b64),
      checkpoint,
      record: shown,
      recordMatchesLeaf: shown ? leafHashOfRecord(record).equals(leafHash) : null,
    };
  }

  private async byPosition(position: number): Promise<StoredRecord | undefined> {
    const [record] = await this.store.readRecords!({ after: position - 1, upTo: position, limit: 1 });
    return record?.globalPosition === position ? record : undefined;
  }

  private async byEventId(eventId: string): Promise<StoredRecord | undefined> {
    if (!this.store.positionOfEvent) throw new RuleViolation('PROOF_BY_POSITION_ONLY', 'this event store cannot look events up by id: ask by position', 422);
    const position = await this.store.positionOfEvent(eventId);
    return position === undefined ? undefined : this.byPosition(position);
  }
}

@QueryHandler(GetConsistencyProof)
export class GetConsistencyProofHandler implements IQueryHandler<GetConsistencyProof, ConsistencyProofResponse> {
  constructor(private readonly ledger: LedgerService) {}

  async execute({ query }: GetConsistencyProof): Promise<ConsistencyProofResponse> {
    await this.ledger.follow();
    const { size: to } = targetSize(this.ledger, query.to);
    if (query.from > to) throw new RuleViolation('CONSISTENCY_FROM_AFTER_TO', `from (${query.from}) must not exceed to (${to})`, 422);
    return {
      from: query.from,
      to,
      fromRoot: b64(this.ledger.root(query.from)),
      toRoot: b64(this.ledger.root(to)),
      proof: this.ledger.consistencyProof(query.from, to).map(b64),
    };
  }
}

/**
 * The leaves in order, for an auditor's own verification: every leaf hash, and the stored event
 * where the auditor oversees its journey. The hashes alone let anyone check every signed root.
 */
@QueryHandler(GetLedgerEntries)
export class GetLedgerEntriesHandler implements IQueryHandler<GetLedgerEntries, LedgerEntriesResponse> {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ query, auditor }: GetLedgerEntries): Promise<LedgerEntriesResponse> {
    await this.ledger.follow();
    const size = this.ledger.size;
    const first = query.after;
    const end = Math.min(size, first + query.limit);
    if (first >= end) return { items: [], treeSize: size, nextAfter: first };
    // positions may be sparse (KurrentDB): page from the position of the leaf before
    const after = first === 0 ? 0 : this.ledger.positionOf(first - 1)!;
    const records = await this.store.readRecords!({ after, upTo: this.ledger.positionOf(end - 1)!, limit: end - first });
    const cache = new Map<string, boolean>();
    const items = [];
    for (const record of records) {
      const leafIndex = this.ledger.leafIndexOf(record.globalPosition);
      if (leafIndex === undefined || leafIndex < first || leafIndex >= end) continue;
      items.push({ leafIndex, leafHash: b64(this.ledger.leafHash(leafIndex)), record: await visibleRecord(this.store, record, auditor, cache) });
    }
    return { items, treeSize: size, nextAfter: end };
  }
}
