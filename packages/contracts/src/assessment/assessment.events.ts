import { z } from 'zod';
import { defineEvent, Handoff } from '../catalogue';
import { Victim } from '../case/case.events';
import { AssessmentKind, DisabilityGrade } from '../placement/placement.events';

/** Stream of one assessment, owned by assessment. */
export const assessmentStream = (assessmentId: string) => `assessment-${assessmentId}`;

const assessmentId = z.string().uuid();

export const AssessmentOpened = defineEvent({
  type: 'AssessmentOpened',
  version: 1,
  owner: 'assessment',
  category: 'assessment',
  summary: 'The assessing agency received the request (the receiving side of AssessmentRequested).',
  payload: z.object({
    assessmentId,
    placementId: z.string().uuid(),
    kind: AssessmentKind,
    handoff: Handoff,
    victim: Victim,
    question: z.string().optional(),
  }),
});

export const AssessmentScheduled = defineEvent({
  type: 'AssessmentScheduled',
  version: 1,
  owner: 'assessment',
  category: 'assessment',
  summary: 'The assessment was scheduled with an assessor (e.g. a designated hospital).',
  payload: z.object({ assessmentId, scheduledFor: z.string().datetime({ offset: true }), assessor: z.string(), place: z.string().optional() }),
});

export const AssessmentCompleted = defineEvent({
  type: 'AssessmentCompleted',
  version: 1,
  owner: 'assessment',
  category: 'assessment',
  handoff: true,
  summary: 'The assessment was completed with an outcome and recommendations, sent back to placement.',
  payload: z.object({
    assessmentId,
    placementId: z.string().uuid(),
    kind: AssessmentKind,
    handoff: Handoff,
    outcome: z.string(),
    recommendations: z.array(z.string()),
    disabilityGrade: DisabilityGrade.optional(),
  }),
});
