import { covers, type Actor, type PlacementFile } from '@atr/contracts';
import { NotFound } from '@atr/platform';
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

/** The victim file with the stay counted up to reunification, closure, or now. */
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
