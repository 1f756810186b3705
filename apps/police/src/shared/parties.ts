import { cityOf, covers, type AgencyKind, type Party } from '@atr/contracts';
import type { AgencyDirectory } from '@atr/platform';

/**
 * The receiving party of a hand-off: the agency of that kind covering the division most
 * closely, or, when none is configured, the queue of that kind for the division.
 */
export function closestParty(directory: AgencyDirectory, kind: AgencyKind, division: string): Party {
  const agency = directory.closest(kind, division);
  return agency
    ? { agencyId: agency.id, agencyKind: agency.kind, jurisdiction: agency.jurisdiction }
    : { agencyId: null, agencyKind: kind, jurisdiction: division };
}

/** The city-level police party (receiver of missing-child alerts spread across the city). */
export function cityPoliceParty(directory: AgencyDirectory, division: string): Party {
  const city = cityOf(division);
  const agency = directory.at('PUBLIC_SECURITY', city)[0];
  return { agencyId: agency?.id ?? null, agencyKind: 'PUBLIC_SECURITY', jurisdiction: city };
}

/** The other counties of the same city that the directory knows, then the city itself. */
export function neighbouringJurisdictions(directory: AgencyDirectory, division: string): string[] {
  const city = cityOf(division);
  const counties = new Set(
    directory.agencies
      .map((a) => a.jurisdiction)
      .filter((j) => j !== division && j !== city && !j.endsWith('00') && covers(city, j)),
  );
  return [...[...counties].sort(), city];
}

/** The role a user holds in a police unit covering the division (undefined when unknown there). */
export function policeRoleOf(directory: AgencyDirectory, userId: string, division: string) {
  for (const agency of directory.agencies) {
    if (agency.kind !== 'PUBLIC_SECURITY' || !covers(agency.jurisdiction, division)) continue;
    const user = agency.users.find((u) => u.userId === userId);
    if (user) return user.role;
  }
  return undefined;
}
