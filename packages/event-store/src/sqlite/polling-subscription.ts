import type { StoredEvent } from '@atr/contracts';
import type { Subscription, SubscriptionHandler, SubscriptionOptions } from '../port';

/** What a subscription needs from the store; every call is synchronous (better-sqlite3). */
export interface SubscriptionSource {
  headPosition(): number;
  /** Matching events in (after, upTo], in position order, at most `limit`. */
  readRange(after: number, upTo: number, types: readonly string[] | undefined, limit: number): StoredEvent[];
  /** Bumped after every in-process commit that appended something. */
  commitSeq(): number;
}

const noop = () => {};

/**
 * Catch-up and live are the same loop: read (cursor, head] from the table, hand it over,
 * repeat; sleep only when caught up. Live events are read back from the table rather than
 * pushed from memory, so the switch can neither skip nor repeat an event. No gap: positions are
 * assigned inside serialized write transactions and a commit makes all its rows visible at
 * once, so when `head` is visible every position ≤ head is committed and visible too.
 */
export class PollingSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private current: number;
  /** Everything ≤ scanned was delivered or filtered out; `position` only counts deliveries. */
  private scanned: number;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private markCaughtUp!: () => void;
  private failCaughtUp!: (error: unknown) => void;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SubscriptionOptions,
    private readonly handler: SubscriptionHandler,
    private readonly pollIntervalMs: number,
  ) {
    this.current = options.from;
    this.scanned = options.from;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.markCaughtUp = resolve;
      this.failCaughtUp = reject;
    });
    // Nobody has to await these: a failure must not become an unhandled rejection.
    this.caughtUp.catch(noop);
    // Started on the next microtask: the handler never runs before subscribe() returned.
    this.done = Promise.resolve().then(() => this.run());
    this.done.catch(noop);
  }

  get position(): number {
    return this.current;
  }

  get scannedPosition(): number {
    return Math.max(this.scanned, this.current);
  }

  /** Called by the store after an in-process commit. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done.catch(noop);
  }

  private async run(): Promise<void> {
    const types = this.options.types ? [...new Set(this.options.types)] : undefined;
    const batchSize = Math.max(1, this.options.batchSize ?? 500);
    try {
      while (!this.stopped) {
        const seq = this.source.commitSeq();
        const head = this.source.headPosition();
        const events = head > this.scanned ? this.source.readRange(this.scanned, head, types, batchSize) : [];
        if (events.length > 0) {
          await this.handler(events);
          this.current = events[events.length - 1].globalPosition;
        }
        if (events.length === batchSize) {
          this.scanned = this.current;
          continue;
        }
        this.scanned = Math.max(this.scanned, head);
        this.markCaughtUp();
        if (this.source.commitSeq() === seq) await this.sleep();
      }
      this.failCaughtUp(new Error(`subscription ${this.options.name ?? ''} stopped before catching up`));
    } catch (error) {
      this.failCaughtUp(error);
      throw error;
    }
  }

  /** Until an in-process commit, the poll interval (commits by other processes) or stop(). */
  private sleep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wakeUp?.(), this.pollIntervalMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }
}
