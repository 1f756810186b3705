import { z } from 'zod';
import { DivisionCode } from '../agency';
import { defineEvent, Handoff } from '../catalogue';
import { ClueCategory, IdNumber, PersonDescription } from '../clue/clue.schemas';

/** Stream of one police case, owned by police. */
export const caseStream = (caseId: string) => `case-${caseId}`;

/** The family that bought the victim: recorded on the case, never a placement for the child. */
export const BuyerFamily = z.object({
  familyId: z.string().min(1),
  householdHead: z.string().min(1).max(100),
  memberIdNumbers: z.array(IdNumber).max(20).default([]),
  address: z.string().max(500).optional(),
});
export type BuyerFamily = z.infer<typeof BuyerFamily>;

export const Victim = PersonDescription.extend({
  victimId: z.string().uuid(),
  isChild: z.boolean(),
  ageYears: z.number().int().min(0).max(120).optional(),
});
export type Victim = z.infer<typeof Victim>;

const caseId = z.string().uuid();
const officer = z.object({ userId: z.string().min(1), name: z.string().optional() });

export const CaseOpened = defineEvent({
  type: 'CaseOpened',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'A case was opened from an accepted referral; a child case gets a task force under a leader (一长三包).',
  payload: z.object({
    caseId,
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    category: ClueCategory,
    childCase: z.boolean(),
    jurisdiction: DivisionCode,
    agencyId: z.string(),
    title: z.string(),
    taskForceLeader: officer.optional(),
  }),
});

export const ClueAttachedToCase = defineEvent({
  type: 'ClueAttachedToCase',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'Another referral was accepted into an existing case.',
  payload: z.object({ caseId, referralId: z.string().uuid(), clueId: z.string().uuid() }),
});

export const TaskForceLeaderAssigned = defineEvent({
  type: 'TaskForceLeaderAssigned',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'A leader was assigned to the task force (replacing the previous one, who needs a successor).',
  payload: z.object({ caseId, leader: officer, previousLeader: officer.optional(), reason: z.string().optional() }),
});

export const TaskForceLeaderRemoved = defineEvent({
  type: 'TaskForceLeaderRemoved',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'The task force leader was removed without a successor (never for an unsolved child case: 一长三包).',
  payload: z.object({ caseId, previousLeader: officer, reason: z.string().optional() }),
});

export const DnaSampleTaken = defineEvent({
  type: 'DnaSampleTaken',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'A DNA sample was taken for the anti-trafficking DNA database (采血入库); only its reference is recorded.',
  payload: z.object({
    caseId,
    sampleId: z.string().min(1),
    subject: z.enum(['CHILD', 'PARENT', 'SUSPECT', 'OTHER']),
    laboratory: z.string().min(1),
  }),
});

export const DnaMatchFound = defineEvent({
  type: 'DnaMatchFound',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'The DNA database matched a sample of the case.',
  payload: z.object({ caseId, sampleId: z.string(), matchedSampleRef: z.string(), confidence: z.number().min(0).max(1) }),
});

export const SuspectIdentified = defineEvent({
  type: 'SuspectIdentified',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'A suspect was identified (and perhaps arrested).',
  payload: z.object({ caseId, suspectId: z.string(), description: z.string(), arrested: z.boolean() }),
});

export const MissingChildAlertIssued = defineEvent({
  type: 'MissingChildAlertIssued',
  version: 1,
  owner: 'police',
  category: 'case',
  handoff: true,
  summary: 'A missing-child alert (团圆) was spread to neighbouring jurisdictions.',
  payload: z.object({
    caseId,
    alertId: z.string().uuid(),
    handoff: Handoff,
    jurisdictions: z.array(DivisionCode).min(1),
    child: PersonDescription,
  }),
});

export const BuyerFamilyRecorded = defineEvent({
  type: 'BuyerFamilyRecorded',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'The family that bought the victim was recorded on the case.',
  payload: z.object({ caseId, family: BuyerFamily }),
});

export const VictimRescued = defineEvent({
  type: 'VictimRescued',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'A victim was rescued (解救).',
  payload: z.object({ caseId, victim: Victim, rescuedAt: z.string().datetime({ offset: true }), place: z.string().optional() }),
});

export const VictimHandedOver = defineEvent({
  type: 'VictimHandedOver',
  version: 1,
  owner: 'police',
  category: 'case',
  handoff: true,
  summary: 'Hand-off of a rescued victim to civil affairs for shelter and placement, with the buyer families to avoid.',
  payload: z.object({
    caseId,
    placementId: z.string().uuid(),
    handoff: Handoff,
    victim: Victim,
    buyerFamilies: z.array(BuyerFamily),
  }),
});

export const CaseTransferred = defineEvent({
  type: 'CaseTransferred',
  version: 1,
  owner: 'police',
  category: 'case',
  handoff: true,
  summary: 'The case moved to the police of another jurisdiction.',
  payload: z.object({ caseId, handoff: Handoff }),
});

export const CaseListedForSupervision = defineEvent({
  type: 'CaseListedForSupervision',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'The joint-conference office listed the case for supervision (挂牌督办).',
  payload: z.object({ caseId, level: z.enum(['COUNTY', 'CITY', 'PROVINCE', 'NATIONAL']), note: z.string().optional() }),
});

export const CaseSolved = defineEvent({
  type: 'CaseSolved',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'The case was solved (破案).',
  payload: z.object({ caseId, summary: z.string() }),
});

export const CaseSentForProsecution = defineEvent({
  type: 'CaseSentForProsecution',
  version: 1,
  owner: 'police',
  category: 'case',
  handoff: true,
  summary: 'The case was sent to the procuratorate (移送起诉).',
  payload: z.object({ caseId, handoff: Handoff }),
});

export const CaseClosed = defineEvent({
  type: 'CaseClosed',
  version: 1,
  owner: 'police',
  category: 'case',
  summary: 'The case was closed (a child case only once solved).',
  payload: z.object({ caseId, reason: z.string() }),
});
