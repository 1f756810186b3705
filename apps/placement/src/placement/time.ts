import type { Victim } from '@atr/contracts';

const DAY_MS = 86_400_000;

/** Whole days from one instant to another (0 if the second is earlier). */
export function wholeDaysBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));
}

/** Full calendar years from one instant to another (UTC), as an age is counted. */
export function fullYearsBetween(from: string, to: string): number {
  const a = new Date(from);
  const b = new Date(to);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  const beforeAnniversary = b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate());
  if (beforeAnniversary) years--;
  return Math.max(0, years);
}

/**
 * The victim's age now: exact from the birth date when known; otherwise the age given at the
 * hand-over plus the full years since (a lower bound, so the 16+ rule is never bent).
 */
export function ageAt(victim: Pick<Victim, 'birthDate' | 'ageYears'>, openedAt: string, now: string): number | undefined {
  if (victim.birthDate) return fullYearsBetween(victim.birthDate, now);
  if (victim.ageYears !== undefined) return victim.ageYears + fullYearsBetween(openedAt, now);
  return undefined;
}
