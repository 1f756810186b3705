import type { DomainEvent, EventDefinition, PayloadOf } from '@atr/contracts';

/** The payload of an event already known (by its type) to be of this definition. */
export function payloadOf<D extends EventDefinition>(_def: D, event: Pick<DomainEvent, 'payload'>): PayloadOf<D> {
  return event.payload as PayloadOf<D>;
}

/** Minutes between two instants, rounded down (0 when `to` is not after `from`). */
export function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 60_000));
}

/** Whether instant `a` is strictly after instant `b` (ISO strings may carry different offsets). */
export function isAfter(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}
