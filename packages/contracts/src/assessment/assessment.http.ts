import { z } from 'zod';
import { Party } from '../catalogue';
import { Victim } from '../case/case.events';
import { AssessmentKind, DisabilityGrade } from '../placement/placement.events';

// HTTP DTOs and commands of the assessment area (request bodies, responses); types are inferred.

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.string().datetime({ offset: true });

export const AssessmentStatus = z.enum(['REQUESTED', 'SCHEDULED', 'COMPLETED']);
export type AssessmentStatus = z.infer<typeof AssessmentStatus>;

export const AssessmentParams = z.object({ assessmentId: z.string().uuid() });
export type AssessmentParams = z.infer<typeof AssessmentParams>;
export const ListAssessmentsQuery = z
  .object({
    status: AssessmentStatus.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ListAssessmentsQuery = z.infer<typeof ListAssessmentsQuery>;

export const ScheduleAssessmentBody = z
  .object({ scheduledFor: instant, assessor: text(200), place: text(500).optional() })
  .strict();
export type ScheduleAssessmentBody = z.infer<typeof ScheduleAssessmentBody>;

export const CompleteAssessmentBody = z
  .object({
    outcome: text(5000),
    recommendations: z.array(text(2000)).max(50),
    disabilityGrade: DisabilityGrade.optional().describe('only for DISABILITY assessments'),
  })
  .strict();
export type CompleteAssessmentBody = z.infer<typeof CompleteAssessmentBody>;

export const AssessmentSchedule = z.object({ scheduledFor: instant, assessor: z.string(), place: z.string().optional() });

/** One assessment as the assessing agency sees it. */
export const AssessmentFile = z.object({
  assessmentId: z.string().uuid(),
  placementId: z.string().uuid(),
  kind: AssessmentKind,
  status: AssessmentStatus,
  revision: z.number().int().nonnegative(),
  requestedBy: Party,
  agency: Party,
  requestedAt: instant,
  question: z.string().optional(),
  victim: Victim,
  schedule: AssessmentSchedule.nullable(),
  result: z
    .object({
      outcome: z.string(),
      recommendations: z.array(z.string()),
      disabilityGrade: DisabilityGrade.optional(),
      completedAt: instant,
    })
    .nullable(),
});
export type AssessmentFile = z.infer<typeof AssessmentFile>;

export const AssessmentSummary = z.object({
  assessmentId: z.string().uuid(),
  placementId: z.string().uuid(),
  kind: AssessmentKind,
  status: AssessmentStatus,
  requestedAt: instant,
  scheduledFor: instant.nullable(),
  completedAt: instant.nullable(),
});
export type AssessmentSummary = z.infer<typeof AssessmentSummary>;

export const AssessmentList = z.object({ items: z.array(AssessmentSummary) });
export type AssessmentList = z.infer<typeof AssessmentList>;
