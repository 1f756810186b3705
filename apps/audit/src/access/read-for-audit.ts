import { covers, readAnyEvent, upcast, type Actor, type AuditEnvelope, type StoredEvent } from '@atr/contracts';

/**
 * Reads a stored event as its current version. An auditor must still see an event the code can
 * no longer read (unknown type, missing upcaster, invalid payload): it comes back as stored
 * (upcast when possible) with the reason, instead of failing the whole answer.
 */
export function readForAudit(event: StoredEvent): AuditEnvelope {
  try {
    return readAnyEvent(event);
  } catch (error) {
    let best: StoredEvent = event;
    try {
      best = upcast(event);
    } catch {
      /* keep the stored shape */
    }
    return { ...best, readError: (error as Error).message };
  }
}

/**
 * An auditor oversees the records its jurisdiction covers: a journey or stream is visible when
 * at least one of its events was made by an agency inside that jurisdiction.
 */
export function oversees(auditor: Actor, events: readonly Pick<StoredEvent, 'actor'>[]): boolean {
  return events.some((e) => covers(auditor.jurisdiction, e.actor.jurisdiction));
}
