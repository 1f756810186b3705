import type { StoredEvent } from '@atr/contracts';
import type { Subscription, SubscriptionHandler, SubscriptionOptions } from '@atr/event-store';

/** What a subscription needs from the store. */
export interface PullSource {
  /** Position of the last user event (0 when none). */
  headPosition(): Promise<number>;
  /**
   * Matching events after `after` (exclusive), in order, at most `limit`; `end` is true when the
   * read reached the end of the log (so nothing matching lies between the last event returned
   * and the head read before it).
   */
  readPage(after: number, types: readonly string[] | undefined, limit: number): Promise<{ events: StoredEvent[]; end: boolean }>;
  /** Calls `wake` soon after matching appends (best effort); returns how to stop watching. */
  watch(types: readonly string[] | undefined, wake: () => void): () => Promise<void>;
}

const noop = () => {};

/**
 * Catch-up and live are one loop, as in the SQLite adapter: read the head, read the next page
 * after the cursor from $all, hand it over, repeat; sleep only when caught up. Events are always
 * read from the log, never taken from the push stream, so the catch-up/live switch can neither
 * skip nor repeat one, and a slow handler only delays the next read (no buffer grows). The live
 * $all subscription only wakes the loop early; when it drops (it is not resubscribed by the
 * client) the source resubscribes, and the poll interval covers the gap and filtered-out tails.
 */
export class PullSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private current: number;
  private scanned: number;
  private stopped = false;
  private seq = 0;
  private wakeUp: (() => void) | undefined;
  private markCaughtUp!: () => void;
  private failCaughtUp!: (error: unknown) => void;

  constructor(
    private readonly source: PullSource,
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
    this.caughtUp.catch(noop);
    this.done = Promise.resolve().then(() => this.run());
    this.done.catch(noop);
  }

  get position(): number {
    return this.current;
  }

  get scannedPosition(): number {
    return Math.max(this.scanned, this.current);
  }

  wake(): void {
    this.seq++;
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
    const unwatch = this.source.watch(types, () => this.wake());
    try {
      while (!this.stopped) {
        const seq = this.seq;
        const head = await this.source.headPosition();
        if (head > this.scanned) {
          const { events, end } = await this.source.readPage(this.scanned, types, batchSize);
          if (this.stopped) break;
          if (events.length > 0) {
            await this.handler(events);
            this.current = events[events.length - 1].globalPosition;
          }
          if (!end) {
            this.scanned = Math.max(this.scanned, this.current);
            continue;
          }
          this.scanned = Math.max(this.scanned, head, this.current);
        }
        this.markCaughtUp();
        if (this.seq === seq) await this.sleep();
      }
      this.failCaughtUp(new Error(`subscription ${this.options.name ?? ''} stopped before catching up`));
    } catch (error) {
      this.failCaughtUp(error);
      throw error;
    } finally {
      await unwatch().catch(noop);
    }
  }

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
