import type { Subscription, SubscriptionHandler, SubscriptionOptions } from './port';

const noop = () => {};

/**
 * The life of a pull subscription, shared by the adapters: catch-up and live are one loop of
 * rounds (read the next page after the cursor from the log, hand it over), sleeping only when
 * caught up and not woken meanwhile. Each adapter says what one round reads (`round`); reading
 * live events back from the log, never from a push, is what makes the catch-up/live switch
 * unable to skip or repeat one, and a slow handler only delays the next read.
 */
export abstract class LoopSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  /** Last position delivered. */
  protected current: number;
  /** Everything ≤ scanned was delivered or filtered out; `position` only counts deliveries. */
  protected scanned: number;
  protected stopped = false;
  /** Bumped by every wake(): a wake during a round means "look again before sleeping". */
  private wakes = 0;
  private wakeUp: (() => void) | undefined;
  private markCaughtUp!: () => void;
  private failCaughtUp!: (error: unknown) => void;

  constructor(
    protected readonly options: SubscriptionOptions,
    protected readonly handler: SubscriptionHandler,
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

  /** Called by the store after an append it knows of: look again now instead of at the next poll. */
  wake(): void {
    this.wakes++;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done.catch(noop);
  }

  /** Reads the next page after `scanned` and hands it over; true when the log held nothing more. */
  protected abstract round(types: readonly string[] | undefined, batchSize: number): Promise<boolean>;

  /** Starts watching for appends (optional); what it returns stops watching when the loop ends. */
  protected watch(_types: readonly string[] | undefined): (() => Promise<void>) | undefined {
    return undefined;
  }

  private async run(): Promise<void> {
    const types = this.options.types ? [...new Set(this.options.types)] : undefined;
    const batchSize = Math.max(1, this.options.batchSize ?? 500);
    const unwatch = this.watch(types);
    try {
      while (!this.stopped) {
        const wakes = this.wakes;
        if (!(await this.round(types, batchSize))) continue;
        this.markCaughtUp();
        if (this.wakes === wakes) await this.sleep();
      }
      this.failCaughtUp(new Error(`subscription ${this.options.name ?? ''} stopped before catching up`));
    } catch (error) {
      this.failCaughtUp(error);
      throw error;
    } finally {
      await unwatch?.().catch(noop);
    }
  }

  /** Until a wake(), the poll interval (appends by other processes) or stop(). */
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
