import type { CommitLatency } from './commit-latency';
import type { NewEvent, StoredEvent } from '@atr/contracts';

/**
 * What a writer expects of a stream before its append:
 * - 'any': no check;
 * - 'no_stream': the stream must not exist yet (creating a clue, a case);
 * - 'stream_exists': the stream must have at least one event;
 * - a number: the revision of the last event the writer has seen (0-based).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint | number;

export interface AppendResult {
  /**
   * Revision of the last event of the stream after the append; for a retry (alreadyAppended),
   * the revision of the batch's last event, so a stale writer still meets a conflict next.
   */
  nextExpectedRevision: number;
  /** Global position of the last appended (or already present) event. */
  lastPosition: number;
  /** True when every eventId was already stored: nothing new was appended. */
  alreadyAppended: boolean;
}

/** readAll's page size when no limit is given, and the most it ever returns. */
export const READ_ALL_DEFAULT_LIMIT = 1000;
export const READ_ALL_MAX_LIMIT = 10_000;

export interface ReadOptions {
  /** Only events after this global position (exclusive). 0 = from the start. */
  after?: number;
  /** Stop at this global position (inclusive): the log as it was then. */
  upTo?: number;
  /** At most this many events (default 1,000, capped at 10,000): the global log is never read whole. */
  limit?: number;
  /** Only events of these types (all when absent). */
  types?: readonly string[];
}

export interface StreamReadOptions {
  /** Only events with a stream revision ≤ this (the stream as it was). */
  upToRevision?: number;
  /** Only events with a global position ≤ this. */
  upToPosition?: number;
  /** Only events recorded at or before this instant (ISO 8601). */
  asOf?: string;
}

export interface SubscriptionOptions {
  /** Checkpoint: deliver events with a global position strictly greater than this. */
  from: number;
  /** Only these event types (all when absent). */
  types?: readonly string[];
  /** Events delivered per handler call. */
  batchSize?: number;
  /** A name for logs and metrics. */
  name?: string;
}

/**
 * Handler of a subscription. The next batch is only read once the promise resolves, so a
 * handler that persists its checkpoint after processing gets at-least-once delivery with no
 * gap; idempotent handlers make that exactly once in effect.
 */
export type SubscriptionHandler = (events: StoredEvent[]) => Promise<void>;

export interface Subscription {
  /** Position of the last event handed to the handler and resolved. */
  readonly position: number;
  /**
   * Everything at or before this position was handed to the handler or filtered out by `types`:
   * how far the subscription has seen the log (≥ position).
   */
  readonly scannedPosition: number;
  /**
   * Resolves once the subscription has caught up with the log once (then it is live); rejects
   * if the handler failed or stop() came first.
   */
  readonly caughtUp: Promise<void>;
  /** Stops after the batch in flight; resolves when stopped. Never await it inside the handler. */
  stop(): Promise<void>;
  /** Rejects if the handler throws; the subscription stops at the failed batch. */
  readonly done: Promise<void>;
}

/** The event store port. Every adapter must pass ./testing/event-store-contract. */
export interface EventStore {
  /**
   * Appends events (at least one) atomically at the end of a stream; resolves once durable.
   * @throws WrongExpectedRevisionError when the stream is not where the writer expected;
   * @throws DuplicateEventIdError when an eventId is stored already in another stream or another
   * batch (contents are not compared: an eventId names one event).
   * Idempotency: when the first eventId is stored already and the whole batch is stored, in
   * this stream, in this order, the append is a no-op that returns alreadyAppended = true
   * whatever `expected` says: retries and redeliveries are safe.
   */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** The events of one stream in revision order (an empty array when it does not exist). */
  readStream(streamId: string, options?: StreamReadOptions): Promise<StoredEvent[]>;
  /** A page of the global log in commit order. */
  readAll(options?: ReadOptions): Promise<StoredEvent[]>;
  /** Every event of one journey (correlation id) in global order. */
  readCorrelation(correlationId: string, options?: { upTo?: number }): Promise<StoredEvent[]>;
  /** Global position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  /** Catch-up from a checkpoint, then live, with no gap and no duplicate at the switch. */
  subscribe(options: SubscriptionOptions, handler: SubscriptionHandler): Subscription;
  /** Flushes and releases resources; appends already acknowledged are durable. */
  close(): Promise<void>;
  /**
   * A page of the global log exactly as stored: actor and payload are the stored JSON texts,
   * not parsed or upcast. The audit ledger hashes these bytes, so it needs every adapter it runs
   * on to return them unchanged.
   */
  readRecords?(options?: ReadOptions): Promise<StoredRecord[]>;
  /** Global position of the event with this id, if stored (the ledger proves events by id). */
  positionOfEvent?(eventId: string): Promise<number | undefined>;
  /**
   * How a worker thread can open its own read-only reader of this store (parallel replay uses
   * it); absent or undefined when the store cannot be shared that way (e.g. an in-memory file).
   */
  readerSpec?(): StoreReaderSpec | undefined;
  /**
   * How long this store's durable commits took since it opened (operators read it in /ready;
   * the bench per run). Absent where the adapter does not commit itself (a server does).
   */
  commitLatency?(): CommitLatency;
}

/** One event as the store keeps it (see EventStore.readRecords). */
export interface StoredRecord {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamRevision: number;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  correlationId: string;
  causationId: string;
  /** The stored JSON text of the actor. */
  actor: string;
  /** The stored JSON text of the payload. */
  payload: string;
}

/** Plain data (it crosses to worker threads) naming a store to open read-only. */
export type StoreReaderSpec = { adapter: 'sqlite'; path: string };

/** Where consumers keep their positions. Kept beside the store in embedded mode. */
export interface CheckpointStore {
  load(name: string): Promise<number>;
  save(name: string, position: number): Promise<void>;
  /** Several at once (in one transaction where the store has them). */
  saveAll?(checkpoints: ReadonlyArray<readonly [string, number]>): Promise<void>;
}
