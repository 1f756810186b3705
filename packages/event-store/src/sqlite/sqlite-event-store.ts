import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
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
import type { CommitLatency } from '../commit-latency';
import { CommitThreadWriter } from './commit-thread';
import { GroupCommitWriter, type AppendWriter } from './group-commit';
import { PollingSubscription, type SubscriptionSource } from './polling-subscription';
import { migrate } from './schema';
import { WakeChannel } from './wake-channel';

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
  /**
   * Default false. When true, appends are committed on a worker thread with its own connection
   * to the file, so the fsync of a commit does not block this thread's event loop (appends that
   * arrive meanwhile form the next batch). Promises still settle only once their batch is durable.
   * Ignored (group commit stays in this thread) for `:memory:` and `file:` URIs.
   */
  commitThread?: boolean;
  /**
   * Commit on the commit thread another store of this process started (its commitPort(), sent
   * to this thread) instead of starting one: the two stores' commits never contend for the lock.
   */
  commitPort?: MessagePort;
  /**
   * With a commit thread: how many WAL frames (pages written by commits) the log may hold before
   * the commit thread starts it over (see ./wal-checkpointer). Default 262,144 (1 GB).
   */
  walRestartAboveFrames?: number;
  /**
   * With a commit thread: `idle` puts the disk I/O of its WAL checkpoint thread in the idle
   * class (see lowerThreadIoPriority), so the sync of the database file it copied the log into
   * does not hold up commits. Default `normal`.
   */
  checkpointIo?: 'idle' | 'normal';
  /**
   * The least time between two wakes of this store's subscriptions by commits; asked at each
   * commit (default none). A wake inside the gap is deferred to its end, never dropped. A busy
   * process gives its consumers one look at the log per gap instead of one per commit.
   */
  wakeGapMs?: () => number;
}

/** How often a live subscription looks for appends of other processes unless told otherwise. */
export const DEFAULT_POLL_INTERVAL_MS = 50;

const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const AFTER_ANY_TIME = '\uffff';

/**
 * Embedded event store: one SQLite file in WAL mode, shareable by several processes
 * (write transactions are BEGIN IMMEDIATE and wait up to busyTimeoutMs for each other).
 */
export class SqliteEventStore implements EventStore, CheckpointStore {
  private readonly writer: AppendWriter;
  private readonly wakeChannel: WakeChannel | undefined;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly s;
  private readonly source: SubscriptionSource;
  private closing: Promise<void> | undefined;
  private closed = false;

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (isFilePath(options.path)) {
      mkdirSync(dirname(options.path), { recursive: true });
    }
    const db = new Database(options.path, { timeout: busyTimeout(options), readonly: options.readOnly ?? false });
    if (options.readOnly) return new SqliteEventStore(db, options);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous(options)}`);
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
    const now = options.now ?? (() => new Date());
    this.wakeChannel = isFilePath(options.path) ? new WakeChannel(options.path, () => this.wake()) : undefined;
    // A commit thread wakes every store on the file itself; a commit in this thread wakes this
    // store's subscriptions and tells the other instances of the process.
    this.writer =
      (options.commitThread || options.commitPort) && !options.readOnly && isFilePath(options.path)
        ? new CommitThreadWriter({ path: resolve(options.path), busyTimeoutMs: busyTimeout(options), synchronous: synchronous(options), walRestartAboveFrames: options.walRestartAboveFrames, checkpointIo: options.checkpointIo, port: options.commitPort }, now)
        : new GroupCommitWriter(db, now, () => {
            this.wake();
            this.wakeChannel?.post();
          });
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

  /**
   * A port through which a store of another thread of this process (opened with `commitPort`)
   * commits on this store's commit thread. Only for a store opened with `commitThread`.
   */
  commitPort(): MessagePort {
    if (!(this.writer instanceof CommitThreadWriter)) throw new Error('only a store with its own commit thread (commitThread: true) can share it');
    return this.writer.connect();
  }

  /** The durable commits of this store's appends (a read-only store makes none). */
  commitLatency(): CommitLatency {
    return this.writer.latency.snapshot();
  }

  /** Another thread of this process may open its own read-only reader of this file. */
  readerSpec(): StoreReaderSpec | undefined {
    const file = this.options.path;
    return isFilePath(file) ? { adapter: 'sqlite', path: file } : undefined;
  }

  subscribe(options: SubscriptionOptions, handler: SubscriptionHandler): Subscription {
    if (this.closing) throw new Error('event store is closed');
    const subscription = new PollingSubscription(this.source, options, handler, this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
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
    await this.saveAll([[name, position]]);
  }

  /** Several checkpoints in one write transaction: the write lock is taken once for all of them. */
  async saveAll(checkpoints: ReadonlyArray<readonly [string, number]>): Promise<void> {
    (this.checkpointWriter ??= this.openCheckpointWriter())(checkpoints);
  }

  private checkpointWriter?: (checkpoints: ReadonlyArray<readonly [string, number]>) => void;
  private checkpointDb?: Database.Database;

  private openCheckpointWriter(): (checkpoints: ReadonlyArray<readonly [string, number]>) => void {
    let db = this.db;
    if (this.options.path !== ':memory:') {
      db = this.checkpointDb = new Database(this.options.path, { timeout: busyTimeout(this.options) });
      db.pragma('synchronous = NORMAL');
      // with a commit thread, its checkpointer copies the WAL: a copy here would hold up the
      // consumers for the fsync of the database file (after every save, the log being long)
      if (this.writer instanceof CommitThreadWriter) db.pragma('wal_autocheckpoint = 0');
    }
    const upsert = db.prepare('INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position');
    return db.transaction((checkpoints: ReadonlyArray<readonly [string, number]>) => {
      for (const [name, position] of checkpoints) upsert.run(name, position);
    });
  }

  /**
   * Lets running subscriptions finish their batch (they may still append), then commits what is
   * queued (after a batch in flight on the commit thread, which then ends).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      await this.writer.close();
      this.closed = true;
      this.wakeChannel?.close();
      clearTimeout(this.deferredWake);
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

  private lastWake = -Infinity;
  private deferredWake: NodeJS.Timeout | undefined;

  /** After a commit: wakes the subscriptions now, or at the end of the gap (see wakeGapMs). */
  private wake(): void {
    if (this.deferredWake) return; // the one already due sees this commit too
    const wait = this.lastWake + (this.options.wakeGapMs?.() ?? 0) - performance.now();
    if (wait <= 0) return this.wakeSubscriptions();
    this.deferredWake = setTimeout(() => {
      this.deferredWake = undefined;
      this.wakeSubscriptions();
    }, wait).unref();
  }

  private wakeSubscriptions(): void {
    this.lastWake = performance.now();
    for (const subscription of this.subscriptions) subscription.wake();
  }
}

const busyTimeout = (options: SqliteEventStoreOptions) => options.busyTimeoutMs ?? 5000;
const synchronous = (options: SqliteEventStoreOptions) => (options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL');

/** A file on disk, as opposed to `:memory:` or a `file:` URI (which may name a shared memory db). */
function isFilePath(path: string): boolean {
  return path !== ':memory:' && !path.startsWith('file:');
}

/** recorded_at is compared as text, so asOf must be in the same form (UTC, milliseconds). */
function toStoredTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`asOf is not an ISO 8601 instant: ${iso}`);
  return new Date(time).toISOString();
}
