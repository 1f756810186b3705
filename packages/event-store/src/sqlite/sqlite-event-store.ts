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
  type StoreReaderSpec,
  type StoredRecord,
  type StreamReadOptions,
  type Subscription,
  type SubscriptionHandler,
  type SubscriptionOptions,
} from '../port';
import { decodeRawRow, encodeEvent, EVENT_COLUMNS, rawRowToRecord, type RawEventRow } from './codec';
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
  /** Opens an existing store for reading only (e.g. a replay worker): no migration, append refused. */
  readOnly?: boolean;
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
  private closing: Promise<void> | undefined;
  private closed = false;

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (options.path !== ':memory:' && !options.path.startsWith('file:')) {
      mkdirSync(dirname(options.path), { recursive: true });
    }
    const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000, readonly: options.readOnly ?? false });
    if (options.readOnly) return new SqliteEventStore(db, options);
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
      range: db.prepare(`${select} WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`).raw(),
      positionsOfType: db.prepare('SELECT position FROM events WHERE type = ? AND position > ? AND position <= ? ORDER BY position LIMIT ?').pluck(),
      rangeOfType: db.prepare(`${select} WHERE type = ? AND position > ? AND position <= ? ORDER BY position LIMIT ?`).raw(),
      stream: db
        .prepare(
          `${select} WHERE stream_id = ? AND stream_revision <= ? AND position <= ? AND recorded_at <= ? ` +
            'ORDER BY stream_revision',
        )
        .raw(),
      correlation: db.prepare(`${select} WHERE correlation_id = ? AND position <= ? ORDER BY position`).raw(),
      positionOfEvent: db.prepare('SELECT position FROM events WHERE event_id = ?').pluck(),
      loadCheckpoint: db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck(),
      saveCheckpoint: db.prepare(
        'INSERT INTO checkpoints (name, position) VALUES (?, ?) ' +
          'ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      ),
    };
    this.source = {
      headPosition: () => this.s.head.get() as number,
      readRange: (after, upTo, types, limit) => this.readRange(after, upTo, types, limit),
    };
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) throw new Error('event store is closed');
    if (this.options.readOnly) throw new Error('event store was opened read-only');
    if (events.length === 0) throw new RangeError(`append to ${streamId}: no events`);
    return this.writer.enqueue(streamId, events.map(encodeEvent), expected);
  }

  async readStream(streamId: string, options: StreamReadOptions = {}): Promise<StoredEvent[]> {
    const rows = this.s.stream.all(
      streamId,
      options.upToRevision ?? NO_LIMIT,
      options.upToPosition ?? NO_LIMIT,
      options.asOf === undefined ? AFTER_ANY_TIME : toStoredTime(options.asOf),
    ) as RawEventRow[];
    return rows.map(decodeRawRow);
  }

  async readAll(options: ReadOptions = {}): Promise<StoredEvent[]> {
    const limit = Math.min(options.limit ?? READ_ALL_DEFAULT_LIMIT, READ_ALL_MAX_LIMIT);
    return this.readRange(options.after ?? 0, options.upTo ?? NO_LIMIT, options.types, limit);
  }

  async readRecords(options: ReadOptions = {}): Promise<StoredRecord[]> {
    const limit = Math.min(options.limit ?? READ_ALL_DEFAULT_LIMIT, READ_ALL_MAX_LIMIT);
    return this.readRawRange(options.after ?? 0, options.upTo ?? NO_LIMIT, options.types, limit).map(rawRowToRecord);
  }

  async positionOfEvent(eventId: string): Promise<number | undefined> {
    return this.s.positionOfEvent.get(eventId) as number | undefined;
  }

  async readCorrelation(correlationId: string, options: { upTo?: number } = {}): Promise<StoredEvent[]> {
    const rows = this.s.correlation.all(correlationId, options.upTo ?? NO_LIMIT) as RawEventRow[];
    return rows.map(decodeRawRow);
  }

  async headPosition(): Promise<number> {
    return this.s.head.get() as number;
  }

  /** Another thread of this process may open its own read-only reader of this file. */
  readerSpec(): StoreReaderSpec | undefined {
    const file = this.options.path;
    return file === ':memory:' || file.startsWith('file:') ? undefined : { adapter: 'sqlite', path: file };
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
   * The first `limit` events of these types in (after, upTo]. Several types are read in
   * positional windows filtered by SQLite on the table itself (a replay wants most of the log);
   * once a window shows the types to be rare, the (type, position) index serves the rest.
   */
  private readRange(after: number, upTo: number, types: readonly string[] | undefined, limit: number): StoredEvent[] {
    return this.readRawRange(after, upTo, types, limit).map(decodeRawRow);
  }

  private readRawRange(after: number, upTo: number, types: readonly string[] | undefined, limit: number): RawEventRow[] {
    if (limit < 1) return [];
    if (!types) return this.s.range.all(after, upTo, limit) as RawEventRow[];
    if (types.length === 1) return this.s.rangeOfType.all(types[0], after, upTo, limit) as RawEventRow[];
    const found: RawEventRow[] = [];
    const end = Math.min(upTo, this.s.head.get() as number);
    const window = this.typeStatement('window', types.length);
    let cursor = after;
    while (found.length < limit && cursor < end) {
      const windowEnd = Math.min(end, cursor + limit);
      const rows = window.all(cursor, windowEnd, ...types) as RawEventRow[];
      for (const row of rows) if (found.push(row) === limit) return found;
      cursor = windowEnd;
      if (rows.length * 8 < limit) break; // rare types: the index skips what windows would scan for nothing
    }
    if (found.length < limit && cursor < upTo) found.push(...this.indexedRange(cursor, upTo, types, limit - found.length));
    return found;
  }

  /** The page's last position from the (type, position) index alone, then its rows in one range scan. */
  private indexedRange(after: number, upTo: number, types: readonly string[], limit: number): RawEventRow[] {
    const positions = types.flatMap((type) => this.s.positionsOfType.all(type, after, upTo, limit) as number[]);
    if (positions.length === 0) return [];
    positions.sort((a, b) => a - b);
    const bound = positions[Math.min(limit, positions.length) - 1];
    return this.typeStatement('range', types.length).all(after, bound, ...types) as RawEventRow[];
  }

  private readonly typeStatements = new Map<string, Database.Statement>();

  /**
   * `+type` keeps SQLite on the primary key (position) range: the type index would return the
   * rows type by type and need a sort.
   */
  private typeStatement(kind: 'window' | 'range', count: number): Database.Statement {
    const key = `${kind}:${count}`;
    let statement = this.typeStatements.get(key);
    if (!statement) {
      const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? AND +type IN (${Array(count).fill('?').join(', ')}) ORDER BY position`;
      statement = this.db.prepare(sql).raw();
      this.typeStatements.set(key, statement);
    }
    return statement;
  }

  private committed(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }
}

/** recorded_at is compared as text, so asOf must be in the same form (UTC, milliseconds). */
function toStoredTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`asOf is not an ISO 8601 instant: ${iso}`);
  return new Date(time).toISOString();
}
