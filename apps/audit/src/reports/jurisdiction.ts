import { covers, type DivisionLevel } from '@atr/contracts';
import { AccessDenied } from '@atr/platform';

/** GB/T 2260: xx0000 is a province, xxxx00 a city (prefecture), anything else a county. */
export function levelOf(code: string): DivisionLevel {
  if (code.endsWith('0000')) return 'PROVINCE';
  if (code.endsWith('00')) return 'CITY';
  return 'COUNTY';
}

/**
 * Every division code a jurisdiction covers, as an inclusive range of 6-digit strings — the same
 * rule as `covers` in contracts, written so SQLite can answer it from an index
 * (`column BETWEEN lo AND hi`): 530000 → 530000…539999, 532600 → 532600…532699, 532622 → itself.
 */
export function divisionRange(code: string): { lo: string; hi: string } {
  switch (levelOf(code)) {
    case 'PROVINCE':
      return { lo: code, hi: code.slice(0, 2) + '9999' };
    case 'CITY':
      return { lo: code, hi: code.slice(0, 4) + '99' };
    case 'COUNTY':
      return { lo: code, hi: code };
  }
}

/**
 * An auditor may read reports of their own jurisdiction or of a division under it. A report's
 * scope is a parameter the caller chose, not a record whose existence could leak, so a scope
 * outside theirs is refused (403) rather than hidden (404).
 */
export function assertOversees(auditorJurisdiction: string, requested: string): void {
  if (!covers(auditorJurisdiction, requested)) {
    throw new AccessDenied(`your jurisdiction ${auditorJurisdiction} does not cover ${requested}: reports are limited to your jurisdiction and the divisions under it`);
  }
}
