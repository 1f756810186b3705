import type { Actor, Party } from '@atr/contracts';

/**
 * The actor of events a service appends on its own (receiving a hand-off, a deadline passing):
 * the receiving agency, with role SYSTEM and the service as user. A queue without a named
 * agency is written as `queue-<jurisdiction>`.
 */
export function systemActor(party: Party, service: string): Actor {
  return {
    agencyId: party.agencyId ?? `queue-${party.jurisdiction}`,
    agencyKind: party.agencyKind,
    jurisdiction: party.jurisdiction,
    userId: `system:${service}`,
    role: 'SYSTEM',
  };
}

/** The party an actor speaks for, e.g. the sender of a hand-off. */
export function partyOf(actor: Actor): Party {
  return { agencyId: actor.agencyId, agencyKind: actor.agencyKind, jurisdiction: actor.jurisdiction };
}
