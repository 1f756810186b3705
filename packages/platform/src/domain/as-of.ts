import type { AsOfFields, AsOfQuery } from '@atr/contracts';
import type { EventStore, StreamReadOptions } from '@atr/event-store';
import type { Clock } from './clock';

/** The event-store cut of a stream as it was at the asked point. */
export function streamCut(at: AsOfQuery): StreamReadOptions {
  return { ...(at.asOf !== undefined ? { asOf: at.asOf } : {}), ...(at.position !== undefined ? { upToPosition: at.position } : {}) };
}

/**
 * The instant time-dependent fields (overdue, waits, stay days) are measured against: the asked
 * time, the time the log reached the asked position (its event's recordedAt), or now when the
 * log has not reached it yet.
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

/** What a read of the past adds to its answer (see AsOfFields in the contracts). */
export function asOfFields(at: AsOfQuery, past: { evaluatedAt: Date; lastPosition: number }): Required<Pick<AsOfFields, 'evaluatedAt' | 'lastPosition'>> & AsOfFields {
  return { ...asOfEcho(at), evaluatedAt: past.evaluatedAt.toISOString(), lastPosition: past.lastPosition };
}
