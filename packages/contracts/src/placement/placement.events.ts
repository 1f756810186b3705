import { z } from 'zod';
import { IdNumber } from '../clue/clue.schemas';
import { defineEvent, Handoff } from '../catalogue';
import { BuyerFamily, Victim } from '../case/case.events';

/** Stream of one rescued victim's placement, owned by placement (civil affairs). */
export const placementStream = (placementId: string) => `placement-${placementId}`;

const placementId = z.string().uuid();

export const AssessmentKind = z.enum(['MEDICAL', 'PSYCHOLOGICAL', 'DISABILITY', 'ADOPTION', 'RISK']);
export type AssessmentKind = z.infer<typeof AssessmentKind>;

/** Disability grade (残疾等级), given only by a DISABILITY assessment. */
export const DisabilityGrade = z.enum(['I', 'II', 'III', 'IV']);
export type DisabilityGrade = z.infer<typeof DisabilityGrade>;

/**
 * What a reintegration service needs to know about the person (name, sex, age, ID for
 * enrolment) and no more: the victim's description stays in the placement file (need-to-know).
 */
export const ReferredPerson = Victim.omit({ description: true });
export type ReferredPerson = z.infer<typeof ReferredPerson>;

export const PlacementOpened = defineEvent({
  type: 'PlacementOpened',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'Civil affairs received the rescued victim (the receiving side of VictimHandedOver).',
  payload: z.object({
    placementId,
    caseId: z.string().uuid(),
    handoff: Handoff,
    victim: Victim,
    buyerFamilies: z.array(BuyerFamily),
  }),
});

export const ShelterAssigned = defineEvent({
  type: 'ShelterAssigned',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'Temporary shelter at a rescue station or child welfare institution.',
  payload: z.object({ placementId, shelterName: z.string(), since: z.string().datetime({ offset: true }) }),
});

export const FamilySearchStarted = defineEvent({
  type: 'FamilySearchStarted',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'Family search (寻亲) started.',
  payload: z.object({ placementId, channels: z.array(z.string()) }),
});

export const Family = z.object({
  familyId: z.string().min(1),
  householdHead: z.string().min(1).max(100),
  memberIdNumbers: z.array(IdNumber).max(20).default([]),
  relationship: z.enum(['BIRTH_PARENTS', 'RELATIVES', 'OTHER']),
  address: z.string().max(500).optional(),
});
export type Family = z.infer<typeof Family>;

export const FamilyFound = defineEvent({
  type: 'FamilyFound',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'A family was found for the victim (e.g. after a DNA match).',
  payload: z.object({ placementId, family: Family }),
});

export const VictimReunified = defineEvent({
  type: 'VictimReunified',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'The victim went back to the family (送还亲生父母) — never to a buyer family recorded on the case.',
  payload: z.object({ placementId, family: Family }),
});

export const HouseholdRegistrationApplied = defineEvent({
  type: 'HouseholdRegistrationApplied',
  version: 1,
  owner: 'placement',
  category: 'placement',
  handoff: true,
  summary: 'No family found after the set stay: civil affairs applies to police for household registration (落户).',
  payload: z.object({ placementId, handoff: Handoff, stayDays: z.number().int().nonnegative() }),
});

export const AssessmentRequested = defineEvent({
  type: 'AssessmentRequested',
  version: 1,
  owner: 'placement',
  category: 'placement',
  handoff: true,
  summary: 'Civil affairs asked a hospital, psychologist, the disabled persons’ federation… for an assessment.',
  payload: z.object({
    placementId,
    assessmentId: z.string().uuid(),
    kind: AssessmentKind,
    handoff: Handoff,
    victim: Victim,
    question: z.string().optional(),
  }),
});

export const AssessmentResultReceived = defineEvent({
  type: 'AssessmentResultReceived',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'The result of an assessment reached the placement file.',
  payload: z.object({
    placementId,
    assessmentId: z.string().uuid(),
    kind: AssessmentKind,
    outcome: z.string(),
    recommendations: z.array(z.string()),
    disabilityGrade: DisabilityGrade.optional(),
  }),
});

export const ReintegrationService = z.enum(['SCHOOL_ENROLMENT', 'VOCATIONAL_TRAINING', 'LEGAL_AID']);
export type ReintegrationService = z.infer<typeof ReintegrationService>;

export const ReintegrationReferred = defineEvent({
  type: 'ReintegrationReferred',
  version: 1,
  owner: 'placement',
  category: 'placement',
  handoff: true,
  summary: 'Referral to school enrolment (education), vocational training for 16+ (HR) or legal aid (justice).',
  payload: z.object({
    placementId,
    service: ReintegrationService,
    handoff: Handoff,
    person: ReferredPerson,
    note: z.string().optional(),
  }),
});

export const FollowUpVisitRecorded = defineEvent({
  type: 'FollowUpVisitRecorded',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'A follow-up visit (跟踪回访) was recorded in the victim file.',
  payload: z.object({ placementId, visitedAt: z.string().datetime({ offset: true }), notes: z.string(), wellbeing: z.enum(['GOOD', 'FAIR', 'CONCERN']) }),
});

export const VictimReintegrated = defineEvent({
  type: 'VictimReintegrated',
  version: 1,
  owner: 'placement',
  category: 'placement',
  summary: 'The victim returned to society (回归社会); the placement file is closed.',
  payload: z.object({ placementId, summary: z.string() }),
});

