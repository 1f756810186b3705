import { LedgerCheckpointed } from '@atr/contracts';
import type { EventStore, StoredRecord } from '@atr/event-store';
import { leafHashOfRecord } from '@atr/ledger';

/**
 * The next events of the log as the ledger takes them in: each one's position and leaf hash
 * (32 bytes a leaf), and in full only the LedgerCheckpointed records, which the ledger checks.
 */
export interface LeafPage {
  count: number;
  positions: Float64Array;
  hashes: Uint8Array;
  checkpoints: StoredRecord[];
  /** The eventId of the page's last event (a new checkpoint names it as its cause). */
  lastEventId?: string;
}

/** Reads up to `limit` events after `after` and hashes each as stored. */
export async function readLeafPage(store: EventStore, after: number, limit: number): Promise<LeafPage> {
  const records = await store.readRecords!({ after, limit });
  const page: LeafPage = { count: records.length, positions: new Float64Array(records.length), hashes: new Uint8Array(records.length * 32), checkpoints: [] };
  records.forEach((record, i) => {
    page.positions[i] = record.globalPosition;
    page.hashes.set(leafHashOfRecord(record), i * 32);
    if (record.type === LedgerCheckpointed.type) page.checkpoints.push(record);
  });
  page.lastEventId = records[records.length - 1]?.eventId;
  return page;
}
