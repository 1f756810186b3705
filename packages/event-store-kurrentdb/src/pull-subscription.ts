import type { StoredEvent } from '@atr/contracts';
import { LoopSubscription, type SubscriptionHandler, type SubscriptionOptions } from '@atr/event-store';

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

/**
 * Each round of the shared LoopSubscription reads the head, then the next page after the cursor
 * from $all: events are always read from the log, never taken from the push stream. The live
 * $all subscription only wakes the loop early; when it drops (it is not resubscribed by the
 * client) the source resubscribes, and the poll interval covers the gap and filtered-out tails.
 */
export class PullSubscription extends LoopSubscription {
  constructor(
    private readonly source: PullSource,
    options: SubscriptionOptions,
    handler: SubscriptionHandler,
    pollIntervalMs: number,
  ) {
    super(options, handler, pollIntervalMs);
  }

  protected override watch(types: readonly string[] | undefined): () => Promise<void> {
    return this.source.watch(types, () => this.wake());
  }

  protected override async round(types: readonly string[] | undefined, batchSize: number): Promise<boolean> {
    const head = await this.source.headPosition();
    if (head <= this.scanned) return true;
    const { events, end } = await this.source.readPage(this.scanned, types, batchSize);
    if (this.stopped) return false;
    if (events.length > 0) {
      await this.handler(events);
      this.current = events[events.length - 1].globalPosition;
    }
    if (!end) {
      this.scanned = Math.max(this.scanned, this.current);
      return false;
    }
    this.scanned = Math.max(this.scanned, head, this.current);
    return true;
  }
}
