import type { Actor } from '@atr/contracts';
import { auditorCovers, NotFound } from '@atr/platform';
import type { AssessmentState } from './assessment.decider';

/** Only the agency the request was addressed to sees it; for anyone else it does not exist. */
export function visibleAssessment(state: AssessmentState, actor: Actor, assessmentId: string): NonNullable<AssessmentState> {
  if (!state || state.agency.agencyId !== actor.agencyId) throw new NotFound('assessment', assessmentId);
  return state;
}

/**
 * Who may read an assessment (present or past): the agency it was addressed to, and auditors
 * (joint-conference office, procuratorate) whose jurisdiction covers that agency's.
 */
export function mayReadAssessment(state: AssessmentState, actor: Actor): state is NonNullable<AssessmentState> {
  if (!state) return false;
  return state.agency.agencyId === actor.agencyId || auditorCovers(actor, state.agency.jurisdiction);
}
