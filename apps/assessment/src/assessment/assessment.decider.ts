import {
  AssessmentCompleted,
  AssessmentOpened,
  AssessmentScheduled,
  type AssessmentFile,
  type CompleteAssessmentBody,
  type DomainEvent,
  type PayloadOf,
  type ScheduleAssessmentBody,
} from '@atr/contracts';
import { NotFound, RuleViolation, draft, type Decider, type EventDraft } from '@atr/platform';

/** One assessment as its stream tells it (null before the request arrived). */
export type AssessmentState = AssessmentFile | null;

export type AssessmentCommand =
  | { type: 'OpenAssessment'; opened: PayloadOf<typeof AssessmentOpened> }
  | ({ type: 'ScheduleAssessment' } & ScheduleAssessmentBody)
  | ({ type: 'CompleteAssessment' } & CompleteAssessmentBody);

function pending(state: AssessmentState): NonNullable<AssessmentState> {
  if (!state) throw new NotFound('assessment', 'unknown');
  if (state.result) throw new RuleViolation('ASSESSMENT_ALREADY_COMPLETED', `the assessment was completed on ${state.result.completedAt}`);
  return state;
}

function decide(command: AssessmentCommand, state: AssessmentState): EventDraft[] {
  switch (command.type) {
    case 'OpenAssessment':
      // the same request delivered under another event changes nothing
      return state ? [] : [draft(AssessmentOpened, command.opened)];
    case 'ScheduleAssessment': {
      // rescheduling is allowed until the assessment is completed
      const s = pending(state);
      const { scheduledFor, assessor, place } = command;
      return [draft(AssessmentScheduled, { assessmentId: s.assessmentId, scheduledFor, assessor, ...(place ? { place } : {}) })];
    }
    case 'CompleteAssessment': {
      if (command.disabilityGrade && state && state.kind !== 'DISABILITY') {
        throw new RuleViolation('DISABILITY_GRADE_ONLY_FOR_DISABILITY_ASSESSMENT', `a disability grade is given by a DISABILITY assessment, not a ${state.kind} one`, 422);
      }
      const s = pending(state);
      if (!s.schedule) throw new RuleViolation('ASSESSMENT_NOT_SCHEDULED', 'schedule the assessment before completing it');
      return [
        draft(AssessmentCompleted, {
          assessmentId: s.assessmentId,
          placementId: s.placementId,
          kind: s.kind,
          // the result goes back to the civil affairs agency that asked
          handoff: { from: s.agency, to: s.requestedBy, reason: `${s.kind} assessment completed` },
          outcome: command.outcome,
          recommendations: command.recommendations,
          ...(command.disabilityGrade ? { disabilityGrade: command.disabilityGrade } : {}),
        }),
      ];
    }
  }
}

function evolve(state: AssessmentState, event: DomainEvent): AssessmentState {
  if (event.type === AssessmentOpened.type) {
    if (state) return state;
    const p = event.payload as PayloadOf<typeof AssessmentOpened>;
    return {
      assessmentId: p.assessmentId,
      placementId: p.placementId,
      kind: p.kind,
      status: 'REQUESTED',
      revision: 0,
      requestedBy: p.handoff.from,
      agency: p.handoff.to,
      requestedAt: event.occurredAt,
      question: p.question,
      victim: p.victim,
      schedule: null,
      result: null,
    };
  }
  if (!state) return state;
  const s = { ...state, revision: state.revision + 1 };
  switch (event.type) {
    case AssessmentScheduled.type: {
      const { scheduledFor, assessor, place } = event.payload as PayloadOf<typeof AssessmentScheduled>;
      return { ...s, status: 'SCHEDULED', schedule: { scheduledFor, assessor, place } };
    }
    case AssessmentCompleted.type: {
      const { outcome, recommendations, disabilityGrade } = event.payload as PayloadOf<typeof AssessmentCompleted>;
      return { ...s, status: 'COMPLETED', result: { outcome, recommendations, disabilityGrade, completedAt: event.occurredAt } };
    }
    default:
      return s;
  }
}

export const assessmentDecider: Decider<AssessmentState, AssessmentCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
