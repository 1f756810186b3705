import { z } from 'zod';

/** Agency kinds from DOMAIN.md: who must tell whom what, and how fast. */
export const AgencyKind = z.enum([
  'CYBERSPACE',
  'HEALTH',
  'EDUCATION',
  'CIVIL_AFFAIRS',
  'PUBLIC_SECURITY',
  'HR_SOCIAL_SECURITY',
  'MARKET_REGULATION',
  'JUSTICE',
  'DISABLED_FEDERATION',
  'WOMEN_FEDERATION',
  'YOUTH_LEAGUE',
  'PROCURATORATE',
  'COURT',
  'JOINT_CONFERENCE_OFFICE',
  'PUBLIC',
]);
export type AgencyKind = z.infer<typeof AgencyKind>;

/**
 * Roles a caller can hold. SYSTEM is never granted to an API key: it marks events that a
 * service appended on its own (a consumer receiving a hand-off, a deadline watcher).
 */
export const Role = z.enum([
  'REPORTER', // submits clues and answers information requests (school clerk, hospital system)
  'OFFICER', // police: works the referral inbox and cases
  'CASE_LEADER', // police: county-level leader of a task force (一长三包)
  'SOCIAL_WORKER', // civil affairs: placement, family search, reintegration
  'ASSESSOR', // hospitals, disabled persons' federation, psychologists
  'SERVICE_PROVIDER', // schools, HR, legal aid receiving reintegration referrals
  'SUPERVISOR', // joint-conference office: supervision listing, escalations
  'AUDITOR', // joint-conference office, procuratorate: read everything, write nothing
  'SYSTEM',
]);
export type Role = z.infer<typeof Role>;

/** GB/T 2260 administrative division code: 2 digits province, 2 city, 2 county. */
export const DivisionCode = z
  .string()
  .regex(/^[1-9]\d{5}$/, 'must be a 6-digit administrative division code (GB/T 2260), e.g. 532622');
export type DivisionCode = z.infer<typeof DivisionCode>;

export const Actor = z.object({
  agencyId: z.string().min(1),
  agencyKind: AgencyKind,
  jurisdiction: DivisionCode,
  userId: z.string().min(1),
  role: Role,
});
export type Actor = z.infer<typeof Actor>;

/** The city-level code that contains a county code (532622 → 532600). */
export function cityOf(code: string): string {
  return code.slice(0, 4) + '00';
}

/** The province-level code that contains a code (532622 → 530000). */
export function provinceOf(code: string): string {
  return code.slice(0, 2) + '0000';
}

/** Whether an agency with jurisdiction `outer` covers the division `inner` (a city covers its counties). */
export function covers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return false;
}
