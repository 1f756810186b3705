import type { Actor } from '@atr/contracts';
import { NotFound } from '@atr/platform';
import type { AssessmentState } from './assessment.decider';

/** Only the agency the request was addressed to sees it; for anyone else it does not exist. */
export function visibleAssessment(state: AssessmentState, actor: Actor, assessmentId: string): NonNullable<AssessmentState> {
  if (!state || state.agency.agencyId !== actor.agencyId) throw new NotFound('assessment', assessmentId);
  return state;
}
