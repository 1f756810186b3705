import type { AsOfQuery, StoredEvent } from '@atr/contracts';
import type { EventStore } from '@atr/event-store';
import type { Clock } from '@atr/platform';

/** Whether an event was already in the log at the asked point (recordedAt ≤ asOf, or position ≤ position). */
export function recordedBy(at: AsOfQuery): (e: StoredEvent) => boolean {
  if (at.position !== undefined) return (e) => e.globalPosition <= at.position!;
  if (at.asOf !== undefined) {
    const limit = Date.parse(at.asOf);
    return (e) => Date.parse(e.recordedAt) <= limit;
  }
  return () => true;
}

/**
 * The instant waits and deadlines are measured against: the asked time, the time the log
 * reached the asked position (its event's recordedAt), or now.
 */
export async function evaluatedAt(at: AsOfQuery, store: EventStore, clock: Clock): Promise<Date> {
  if (at.asOf !== undefined) return new Date(at.asOf);
  if (at.position !== undefined && at.position > 0) {
    const [event] = await store.readAll({ after: at.position - 1, limit: 1 });
    if (event?.globalPosition === at.position) return new Date(event.recordedAt);
  }
  return clock.now();
}

/** Echo of the as-of parameters in responses (asOf normalised to UTC). */
export function asOfEcho(at: AsOfQuery): { asOf?: string; position?: number } {
  if (at.asOf !== undefined) return { asOf: new Date(at.asOf).toISOString() };
  if (at.position !== undefined) return { position: at.position };
  return {};
}
