import { covers, type Actor, type PlacementFile } from '@atr/contracts';
import { auditorCovers, NotFound } from '@atr/platform';
import type { PlacementState } from './placement.state';
import { wholeDaysBetween } from './time';

/**
 * The file of a placement the caller may see: civil affairs whose jurisdiction covers the
 * receiving agency's. Anything else is "not found", so existence does not leak.
 */
export function visibleFile(state: PlacementState, actor: Actor, placementId: string): NonNullable<PlacementState> {
  if (!state || actor.agencyKind !== 'CIVIL_AFFAIRS' || !covers(actor.jurisdiction, state.civilAffairs.jurisdiction)) {
    throw new NotFound('placement', placementId);
  }
  return state;
}

/**
 * Who may read a file (present or past): the civil affairs that may work on it, and auditors
 * (joint-conference office, procuratorate) whose jurisdiction covers the receiving agency's.
 */
export function mayReadFile(state: PlacementState, actor: Actor): state is NonNullable<PlacementState> {
  if (!state) return false;
  const jurisdiction = state.civilAffairs.jurisdiction;
  return actor.agencyKind === 'CIVIL_AFFAIRS' ? covers(actor.jurisdiction, jurisdiction) : auditorCovers(actor, jurisdiction);
}

/** The victim file with the stay counted up to reunification, closure, or now (for a past read: that point's instant). */
export function toPlacementFile(state: NonNullable<PlacementState>, now: Date): PlacementFile {
  const end = state.reunification?.at ?? state.reintegration?.at ?? now.toISOString();
  return { ...state, stayDays: wholeDaysBetween(state.openedAt, end) };
}

/** A LIKE pattern for the division codes a jurisdiction covers (see `covers`). */
export function coveredCodes(jurisdiction: string): string {
  if (jurisdiction.endsWith('0000')) return `${jurisdiction.slice(0, 2)}%`;
  if (jurisdiction.endsWith('00')) return `${jurisdiction.slice(0, 4)}%`;
  return jurisdiction;
}
