import type { AuditEnvelope } from '@atr/contracts';

/**
 * A generic fold for any stream: each payload (without its hand-off) shallow-merged over the
 * previous ones, plus the last event and the list of event types. Audit cannot import the
 * services' deciders, so this is a record of the facts stated so far, not the owning service's
 * decision state (which may derive, drop or combine fields).
 */
export function factsOf(events: readonly AuditEnvelope[]): Record<string, unknown> {
  return events.reduce<Record<string, unknown>>((state, e) => {
    const { handoff: _handoff, ...facts } = e.payload;
    return { ...state, ...facts, lastEvent: e.type, lastEventAt: e.occurredAt, history: [...(state.history as string[]), e.type] };
  }, { history: [] });
}
