import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { NewEvent, StoredEvent } from '@atr/contracts';
import {
  READ_ALL_DEFAULT_LIMIT,
  READ_ALL_MAX_LIMIT,
  type AppendResult,
  type CheckpointStore,
  type EventStore,
  type ExpectedRevision,
  type ReadOptions,
  type StreamReadOptions,
  type Subscription,
  type SubscriptionHandler,
  type SubscriptionOptions,
} from '../port';
import { decodeRow, encodeEvent, EVENT_COLUMNS, type EventRow } from './codec';
import { GroupCommitWriter } from './group-commit';
import { PollingSubscription, type SubscriptionSource } from './polling-subscription';
import { migrate } from './schema';

export interface SqliteEventStoreOptions {
  /** Database file; its directory is created if missing. */
  path: string;
  /** Clock for recordedAt (tests). */
  now?: () => Date;
  /** How often live subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
  /** FULL (default): an acknowledged append survives power loss. NORMAL: only a crash. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process holding the write lock. */
  busyTimeoutMs?: number;
}

const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const AFTER_ANY_TIME = '\uffff';

/**
 * Embedded event store: one SQLite file in WAL mode, shareable by several processes
 * (write transactions are BEGIN IMMEDIATE and wait up to busyTimeoutMs for each other).
 */
export class SqliteEventStore implements EventStore, CheckpointStore {
  private readonly writer: GroupCommitWriter;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly s;
  private readonly source: SubscriptionSource;
  private seq = 0;
  private closing: Promise<void> | undefined;
  private closed = false;

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (options.path !== ':memory:' && !options.path.startsWith('file:')) {
      mkdirSync(dirname(options.path), { recursive: true });
    }
    const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
      migrate(db);
      return new SqliteEventStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteEventStoreOptions,
  ) {
    this.writer = new GroupCommitWriter(db, options.now ?? (() => new Date()), () => this.committed());
    const select = `SELECT ${EVENT_COLUMNS} FROM events`;
    this.s = {
      head: db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
      range: db.prepare(`${select} WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`),
      positionsOfType: db.prepare('SELECT position FROM events WHERE type = ? AND position > ? AND position <= ? ORDER BY position LIMIT ?').pluck(),
      rangeOfType: db.prepare(
        `${select} WHERE type = ? AND position > ? AND position <= ? ORDER BY position LIMIT ?`,
      ),
      stream: db.prepare(
        `${select} WHERE stream_id = ? AND stream_revision <= ? AND position <= ? AND recorded_at <= ? ` +
          'ORDER BY stream_revision',
      ),
      correlation: db.prepare(`${select} WHERE correlation_id = ? AND position <= ? ORDER BY position`),
      loadCheckpoint: db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck(),
      saveCheckpoint: db.prepare(
        'INSERT INTO checkpoints (name, position) VALUES (?, ?) ' +
          'ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      ),
    };
    this.source = {
      headPosition: () => this.s.head.get() as number,
      readRange: (after, upTo, types, limit) => this.readRange(after, upTo, types, limit),
      commitSeq: () => this.seq,
    };
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) throw new Error('event store is closed');
    if (events.length === 0) throw new RangeError(`append to ${streamId}: no events`);
    return this.writer.enqueue(streamId, events.map(encodeEvent), expected);
  }

  async readStream(streamId: string, options: StreamReadOptions = {}): Promise<StoredEvent[]> {
    const rows = this.s.stream.all(
      streamId,
      options.upToRevision ?? NO_LIMIT,
      options.upToPosition ?? NO_LIMIT,
      options.asOf === undefined ? AFTER_ANY_TIME : toStoredTime(options.asOf),
    ) as EventRow[];
    return rows.map(decodeRow);
  }

  async readAll(options: ReadOptions = {}): Promise<StoredEvent[]> {
    const limit = Math.min(options.limit ?? READ_ALL_DEFAULT_LIMIT, READ_ALL_MAX_LIMIT);
    return this.readRange(options.after ?? 0, options.upTo ?? NO_LIMIT, options.types, limit);
  }

  async readCorrelation(correlationId: string, options: { upTo?: number } = {}): Promise<StoredEvent[]> {
    const rows = this.s.correlation.all(correlationId, options.upTo ?? NO_LIMIT) as EventRow[];
    return rows.map(decodeRow);
  }

  async headPosition(): Promise<number> {
    return this.s.head.get() as number;
  }

  subscribe(options: SubscriptionOptions, handler: SubscriptionHandler): Subscription {
    if (this.closing) throw new Error('event store is closed');
    const subscription = new PollingSubscription(this.source, options, handler, this.options.pollIntervalMs ?? 50);
    this.subscriptions.add(subscription);
    subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(() => {});
    return subscription;
  }

  async load(name: string): Promise<number> {
    return (this.s.loadCheckpoint.get(name) as number | undefined) ?? 0;
  }

  /**
   * Checkpoints are written without waiting for fsync (their own connection, synchronous=NORMAL):
   * a checkpoint lost in a power cut only redelivers one batch, which idempotent consumers
   * absorb, and the bench showed durable checkpoint saves took nearly half the main thread.
   * The next durable append commits the WAL they sit in anyway.
   */
  async save(name: string, position: number): Promise<void> {
    (this.checkpointWriter ??= this.openCheckpointWriter()).run(name, position);
  }

  private checkpointWriter?: Database.Statement;
  private checkpointDb?: Database.Database;

  private openCheckpointWriter(): Database.Statement {
    if (this.options.path === ':memory:') return this.s.saveCheckpoint;
    this.checkpointDb = new Database(this.options.path, { timeout: this.options.busyTimeoutMs ?? 5000 });
    this.checkpointDb.pragma('synchronous = NORMAL');
    return this.checkpointDb.prepare(
      'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position',
    );
  }

  /** Lets running subscriptions finish their batch (they may still append), then commits what is queued. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      this.writer.flush();
      this.closed = true;
      this.checkpointDb?.close();
      this.db.close();
    })();
    return this.closing;
  }

  /**
   * Types are read one index range each and merged: the first `limit` of the union are among
   * the first `limit` of each type, and no query scans events it will not return.
   */
  private readRange(after: number, upTo: number, types: readonly string[] | undefined, limit: number): StoredEvent[] {
    if (limit < 1) return [];
    let rows: EventRow[];
    if (!types) rows = this.s.range.all(after, upTo, limit) as EventRow[];
    else if (types.length === 1) rows = this.s.rangeOfType.all(types[0], after, upTo, limit) as EventRow[];
    else {
      // Find the page's last position from the (type, position) index alone, then read the
      // page's rows in one range scan: full rows are read once, never `limit` per type.
      const positions = types.flatMap((type) => this.s.positionsOfType.all(type, after, upTo, limit) as number[]);
      if (positions.length === 0) return [];
      positions.sort((a, b) => a - b);
      const bound = positions[Math.min(limit, positions.length) - 1];
      rows = this.rangeOfTypes(types.length).all(after, bound, ...types) as EventRow[];
    }
    return rows.map(decodeRow);
  }

  private readonly rangeOfTypesStatements = new Map<number, Database.Statement>();

  private rangeOfTypes(count: number): Database.Statement {
    let statement = this.rangeOfTypesStatements.get(count);
    if (!statement) {
      statement = this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? AND type IN (${Array(count).fill('?').join(', ')}) ORDER BY position`,
      );
      this.rangeOfTypesStatements.set(count, statement);
    }
    return statement;
  }

  private committed(): void {
    this.seq++;
    for (const subscription of this.subscriptions) subscription.wake();
  }
}

/** recorded_at is compared as text, so asOf must be in the same form (UTC, milliseconds). */
function toStoredTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`asOf is not an ISO 8601 instant: ${iso}`);
  return new Date(time).toISOString();
}
