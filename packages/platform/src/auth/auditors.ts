import { AUDIT_KINDS, AUDIT_ROLES, covers, type Actor } from '@atr/contracts';
import type { AccessRule } from './endpoint';

/**
 * Oversight (反拐办, 检察院): auditors and supervisors of the joint-conference office and the
 * procuratorate. The owning services admit them to their reads of a record, present or past.
 */
export const AUDITORS: AccessRule = { roles: [...AUDIT_ROLES], kinds: [...AUDIT_KINDS] };

export function isAuditor(actor: Actor): boolean {
  return (AUDIT_KINDS as readonly string[]).includes(actor.agencyKind) && (AUDIT_ROLES as readonly string[]).includes(actor.role);
}

/** An auditor whose jurisdiction covers the record's (a city's office covers its counties). */
export function auditorCovers(actor: Actor, jurisdiction: string): boolean {
  return isAuditor(actor) && covers(actor.jurisdiction, jurisdiction);
}
