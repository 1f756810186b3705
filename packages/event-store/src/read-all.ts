import type { StoredEvent } from '@atr/contracts';
import type { EventStore } from './port';

export interface ReadAllInBatchesOptions {
  /** Start after this global position (exclusive); 0 = from the start. */
  after?: number;
  /** Stop at this global position (inclusive); absent = until the head at the time of each page. */
  upTo?: number;
  /** Events per page (the store caps pages at 10,000). */
  batchSize?: number;
  /** Only events of these types (all when absent). */
  types?: readonly string[];
}

/**
 * The global log page by page, in commit order, with bounded memory:
 * `for await (const events of readAllInBatches(store)) { ... }`.
 * Ends on an empty page rather than a short one, so a store that caps the page size cannot
 * end the iteration early.
 */
export async function* readAllInBatches(
  store: Pick<EventStore, 'readAll'>,
  options: ReadAllInBatchesOptions = {},
): AsyncGenerator<StoredEvent[], void, undefined> {
  let after = options.after ?? 0;
  const { upTo, types, batchSize = 1000 } = options;
  while (upTo === undefined || after < upTo) {
    const events = await store.readAll({ after, upTo, limit: batchSize, ...(types ? { types } : {}) });
    if (events.length === 0) return;
    yield events;
    after = events[events.length - 1].globalPosition;
  }
}
