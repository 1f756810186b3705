import type { LedgerRecord } from '@atr/contracts';
import type { StoredRecord } from '@atr/event-store';

/** The twelve members the ledger hashes, and nothing else an adapter may add. */
export function toLedgerRecord(r: StoredRecord): LedgerRecord {
  const { actor, causationId, correlationId, eventId, globalPosition, occurredAt, payload, recordedAt, schemaVersion, streamId, streamRevision, type } = r;
  return { actor, causationId, correlationId, eventId, globalPosition, occurredAt, payload, recordedAt, schemaVersion, streamId, streamRevision, type };
}
