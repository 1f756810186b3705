import type { StoredEvent } from '@atr/contracts';
import { LoopSubscription } from '../loop-subscription';
import type { SubscriptionHandler, SubscriptionOptions } from '../port';

/** What a subscription needs from the store; every call is synchronous (better-sqlite3). */
export interface SubscriptionSource {
  headPosition(): number;
  /** Matching events in (after, upTo], in position order, at most `limit`. */
  readRange(after: number, upTo: number, types: readonly string[] | undefined, limit: number): StoredEvent[];
}

/**
 * Reads (cursor, head] from the table each round. No gap: positions are assigned inside
 * serialized write transactions and a commit makes all its rows visible at once, so when `head`
 * is visible every position ≤ head is committed and visible too. The store wakes it after each
 * in-process commit; the poll interval covers commits by other processes.
 */
export class PollingSubscription extends LoopSubscription {
  constructor(
    private readonly source: SubscriptionSource,
    options: SubscriptionOptions,
    handler: SubscriptionHandler,
    pollIntervalMs: number,
  ) {
    super(options, handler, pollIntervalMs);
  }

  protected override async round(types: readonly string[] | undefined, batchSize: number): Promise<boolean> {
    const head = this.source.headPosition();
    const events = head > this.scanned ? this.source.readRange(this.scanned, head, types, batchSize) : [];
    if (events.length > 0) {
      await this.handler(events);
      this.current = events[events.length - 1].globalPosition;
    }
    if (events.length === batchSize) {
      this.scanned = this.current;
      return false;
    }
    this.scanned = Math.max(this.scanned, head);
    return true;
  }
}
