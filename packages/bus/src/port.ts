import type { StoredEvent } from '@atr/contracts';

/** Handles one event. Must be idempotent: delivery is at least once. */
export type EventHandler = (event: StoredEvent) => Promise<void>;

export interface ConsumeOptions {
  /** Consumer group: each group gets every event of its types once in effect, with its own checkpoint. */
  group: string;
  /** Event types to receive. */
  types: readonly string[];
  /**
   * Start after this position when the group has no checkpoint yet. A read model passes its
   * own position (kept atomically with its tables) and skips what it has already applied.
   */
  startAfter?: () => Promise<number> | number;
  /**
   * How many journeys (correlation ids) of a batch may be handled at once; the events of one
   * journey always stay in log order. 1 (the default) handles the whole log in order, which a
   * consumer needs when it decides across journeys (e.g. duplicate detection).
   */
  concurrency?: number;
  /**
   * Called once a batch is handled, before the bus records it as consumed (checkpoint, offsets),
   * and after a re-driven event: a consumer that keeps its writes in an open transaction commits
   * here, so nothing is ever marked consumed that it has not made durable.
   */
  flush?: () => void | Promise<void>;
}

export interface ConsumerStatus {
  group: string;
  types: readonly string[];
  /** Last global position handled. */
  checkpoint: number;
  /** Events of the log not yet seen by this group (head − checkpoint). */
  lag: number;
  caughtUp: boolean;
  deadLetters: number;
  running: boolean;
  /**
   * Where the group reads from: the event store ('store'), a Kafka consumer group ('kafka'), or
   * a relay publishing the store to Kafka ('relay'). Absent: the store (embedded mode).
   */
  transport?: 'store' | 'kafka' | 'relay';
  /** Kafka topics it consumes or publishes to. */
  topics?: string[];
}

export interface DeadLetter {
  group: string;
  event: StoredEvent;
  error: string;
  attempts: number;
  failedAt: string;
}

/** Where dead letters are kept so that a restart does not forget them (the bus re-drives them). */
export interface DeadLetterStore {
  load(): DeadLetter[];
  save(letter: DeadLetter): void;
  remove(letter: DeadLetter): void;
}

/**
 * How services exchange events. Services only ever call `consume`; who delivers (the embedded
 * store subscription, or a relay and Kafka consumer groups in distributed mode) is configuration.
 */
export interface MessageBus {
  consume(options: ConsumeOptions, handler: EventHandler): void;
  start(): Promise<void>;
  /** Finishes the events in flight, then stops. */
  stop(): Promise<void>;
  /** Resolves when every group has caught up with the log as it was when called, and recorded so. */
  settled(): Promise<void>;
  status(): Promise<ConsumerStatus[]>;
  /**
   * Every consumer group and relay of the deployment as far as this process can see them (the
   * audit service's operator view in distributed mode); status() when absent.
   */
  overview?(): Promise<ConsumerStatus[]>;
  deadLetters(): DeadLetter[];
  /** Re-runs the handlers for dead-lettered events (after a fix); returns how many succeeded. */
  redrive(group?: string): Promise<number>;
  /** Pauses one group (e.g. while its read model is compared with a replay). */
  pause(group: string): Promise<void>;
  resume(group: string): void;
}

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');

/**
 * Concurrency for consumers that receive hand-offs: each journey is independent of the others,
 * so 32 of them share group commits instead of waiting for one fsync each.
 */
export const HANDOFF_CONCURRENCY = 32;
