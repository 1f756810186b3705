import { covers, type AgencyKind, type AssessmentKind, type Party, type ReintegrationService } from '@atr/contracts';
import { RuleViolation, type AgencyConfig, type AgencyDirectory } from '@atr/platform';
import { ASSESSING_AGENCY_KIND, SERVICE_AGENCY_KIND } from './placement.decider';

// Who receives each hand-off of a placement, looked up in the agency directory.

const party = (a: AgencyConfig): Party => ({ agencyId: a.id, agencyKind: a.kind, jurisdiction: a.jurisdiction });
const queue = (agencyKind: AgencyKind, jurisdiction: string): Party => ({ agencyId: null, agencyKind, jurisdiction });

/** Police register the child (落户): the closest police unit, else the queue of the jurisdiction. */
export function policeFor(directory: AgencyDirectory, jurisdiction: string): Party {
  const police = directory.closest('PUBLIC_SECURITY', jurisdiction);
  return police ? party(police) : queue('PUBLIC_SECURITY', jurisdiction);
}

/**
 * The named agency if given (the decider checks its kind), else the closest agency of the kind
 * that makes this assessment. An assessment needs a named agency: only its assessors see it.
 */
export function assessingAgency(directory: AgencyDirectory, kind: AssessmentKind, jurisdiction: string, agencyId?: string): Party {
  if (agencyId) {
    const agency = directory.get(agencyId);
    if (!agency) throw new RuleViolation('ASSESSING_AGENCY_UNKNOWN', `no agency ${agencyId} is registered`, 422);
    return party(agency);
  }
  const needed = ASSESSING_AGENCY_KIND[kind];
  const agency = directory.closest(needed, jurisdiction);
  if (!agency) throw new RuleViolation('NO_ASSESSING_AGENCY', `no ${needed} agency covers ${jurisdiction} for a ${kind} assessment`, 422);
  return party(agency);
}

const specificity = (code: string) => (code.endsWith('0000') ? 1 : code.endsWith('00') ? 2 : 3);

/**
 * The agency that provides a reintegration service: among those covering the jurisdiction,
 * one with a service provider (the education bureau, not a school), the most local first.
 */
export function serviceProvider(directory: AgencyDirectory, service: ReintegrationService, jurisdiction: string): Party {
  const kind = SERVICE_AGENCY_KIND[service];
  const providers = (a: AgencyConfig) => (a.users.some((u) => u.role === 'SERVICE_PROVIDER') ? 1 : 0);
  const [best] = directory.agencies
    .filter((a) => a.kind === kind && covers(a.jurisdiction, jurisdiction))
    .sort((a, b) => providers(b) - providers(a) || specificity(b.jurisdiction) - specificity(a.jurisdiction));
  return best ? party(best) : queue(kind, jurisdiction);
}
