import { z } from 'zod';
import { Party } from '../catalogue';
import { BuyerFamily, Victim } from '../case/case.events';
import { AssessmentKind, DisabilityGrade, Family, ReferredPerson, ReintegrationService } from './placement.events';

// HTTP DTOs and commands of the placement area (request bodies, responses); types are inferred.

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.string().datetime({ offset: true });

/** The furthest milestone a placement file has reached, in the order of the journey. */
export const PlacementStatus = z.enum([
  'OPEN',
  'SHELTERED',
  'FAMILY_SEARCH',
  'HOUSEHOLD_REGISTRATION_APPLIED',
  'FAMILY_FOUND',
  'REUNIFIED',
  'REINTEGRATED',
]);
export type PlacementStatus = z.infer<typeof PlacementStatus>;

export const PlacementParams = z.object({ placementId: z.string().uuid() });
export type PlacementParams = z.infer<typeof PlacementParams>;
export const ListPlacementsQuery = z
  .object({
    status: PlacementStatus.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ListPlacementsQuery = z.infer<typeof ListPlacementsQuery>;

// Request bodies

export const AssignShelterBody = z.object({ shelterName: text(200) }).strict();
export type AssignShelterBody = z.infer<typeof AssignShelterBody>;

export const StartFamilySearchBody = z.object({ channels: z.array(text(200)).min(1).max(20) }).strict();
export type StartFamilySearchBody = z.infer<typeof StartFamilySearchBody>;

export const RecordFamilyFoundBody = z.object({ family: Family.strict() }).strict();
export type RecordFamilyFoundBody = z.infer<typeof RecordFamilyFoundBody>;

export const ReunifyBody = z.object({ familyId: z.string().min(1).max(200) }).strict();
export type ReunifyBody = z.infer<typeof ReunifyBody>;

export const ApplyHouseholdRegistrationBody = z.object({}).strict();
export type ApplyHouseholdRegistrationBody = z.infer<typeof ApplyHouseholdRegistrationBody>;

export const RequestAssessmentBody = z
  .object({
    kind: AssessmentKind,
    question: text(2000).optional(),
    agencyId: z.string().min(1).max(100).optional().describe('the assessing agency; the closest suitable one when absent'),
  })
  .strict();
export type RequestAssessmentBody = z.infer<typeof RequestAssessmentBody>;

export const ReferReintegrationBody = z.object({ service: ReintegrationService, note: text(2000).optional() }).strict();
export type ReferReintegrationBody = z.infer<typeof ReferReintegrationBody>;

export const RecordFollowUpVisitBody = z
  .object({ visitedAt: instant, notes: text(5000), wellbeing: z.enum(['GOOD', 'FAIR', 'CONCERN']) })
  .strict();
export type RecordFollowUpVisitBody = z.infer<typeof RecordFollowUpVisitBody>;

export const ReintegrateBody = z.object({ summary: text(5000) }).strict();
export type ReintegrateBody = z.infer<typeof ReintegrateBody>;

// Responses

export const PlacementAssessment = z.object({
  assessmentId: z.string().uuid(),
  kind: AssessmentKind,
  question: z.string().optional(),
  requestedAt: instant,
  agency: Party,
  result: z
    .object({
      outcome: z.string(),
      recommendations: z.array(z.string()),
      disabilityGrade: DisabilityGrade.optional(),
      receivedAt: instant,
    })
    .nullable(),
});
export type PlacementAssessment = z.infer<typeof PlacementAssessment>;

export const PlacementReferral = z.object({
  referralId: z.string().uuid().describe('the eventId of the ReintegrationReferred event'),
  service: ReintegrationService,
  note: z.string().optional(),
  referredAt: instant,
  to: Party,
});
export type PlacementReferral = z.infer<typeof PlacementReferral>;

export const FollowUpVisit = z.object({
  visitedAt: instant,
  notes: z.string(),
  wellbeing: z.enum(['GOOD', 'FAIR', 'CONCERN']),
  recordedAt: instant,
});
export type FollowUpVisit = z.infer<typeof FollowUpVisit>;

/** The victim file (档案): everything civil affairs recorded for one rescued victim. */
export const PlacementFile = z.object({
  placementId: z.string().uuid(),
  caseId: z.string().uuid(),
  status: PlacementStatus,
  revision: z.number().int().nonnegative(),
  openedAt: instant,
  /** Days from the hand-over until reunification or closure, or until now while in care. */
  stayDays: z.number().int().nonnegative(),
  handedOverBy: Party,
  civilAffairs: Party,
  victim: Victim,
  buyerFamilies: z.array(BuyerFamily),
  shelter: z.object({ name: z.string(), since: instant }).nullable(),
  familySearch: z.object({ channels: z.array(z.string()), startedAt: instant }).nullable(),
  familiesFound: z.array(Family),
  reunification: z.object({ family: Family, at: instant }).nullable(),
  householdRegistration: z.object({ appliedAt: instant, stayDays: z.number().int(), to: Party }).nullable(),
  assessments: z.array(PlacementAssessment),
  referrals: z.array(PlacementReferral),
  visits: z.array(FollowUpVisit),
  reintegration: z.object({ summary: z.string(), at: instant }).nullable(),
});
export type PlacementFile = z.infer<typeof PlacementFile>;

export const PlacementSummary = z.object({
  placementId: z.string().uuid(),
  caseId: z.string().uuid(),
  status: PlacementStatus,
  jurisdiction: z.string(),
  civilAffairsAgencyId: z.string().nullable(),
  victim: z.object({ name: z.string().nullable(), isChild: z.boolean(), ageYears: z.number().int().nullable() }),
  shelterName: z.string().nullable(),
  openedAt: instant,
  updatedAt: instant,
});
export type PlacementSummary = z.infer<typeof PlacementSummary>;

export const PlacementList = z.object({ items: z.array(PlacementSummary) });
export type PlacementList = z.infer<typeof PlacementList>;

export const AssessmentRequestedResponse = z.object({ assessmentId: z.string().uuid(), agency: Party });
export type AssessmentRequestedResponse = z.infer<typeof AssessmentRequestedResponse>;

export const ReintegrationReferredResponse = PlacementReferral;

// Reintegration referrals as the receiving service provider sees them

export const ListReintegrationReferralsQuery = z
  .object({
    service: ReintegrationService.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ListReintegrationReferralsQuery = z.infer<typeof ListReintegrationReferralsQuery>;

export const IncomingReintegrationReferral = z.object({
  referralId: z.string().uuid(),
  placementId: z.string().uuid(),
  service: ReintegrationService,
  note: z.string().nullable(),
  referredAt: instant,
  from: Party,
  to: Party,
  person: ReferredPerson,
});
export type IncomingReintegrationReferral = z.infer<typeof IncomingReintegrationReferral>;

export const IncomingReintegrationReferralList = z.object({ items: z.array(IncomingReintegrationReferral) });
