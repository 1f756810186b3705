import { z } from 'zod';
import { DivisionCode } from '../agency';
import { defineEvent, Handoff } from '../catalogue';
import { Priority, ReferredClue } from '../clue/clue.schemas';

/** Stream of one referral in a police unit's inbox, owned by police. */
export const referralStream = (referralId: string) => `referral-${referralId}`;

export const ReferralReceived = defineEvent({
  type: 'ReferralReceived',
  version: 1,
  owner: 'police',
  category: 'referral',
  summary: "The referral arrived in the police unit's inbox (the receiving side of ClueReferred).",
  payload: z.object({
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    handoff: Handoff,
    ...ReferredClue.shape,
  }),
});

export const ReferralAcknowledged = defineEvent({
  type: 'ReferralAcknowledged',
  version: 1,
  owner: 'police',
  category: 'referral',
  summary: 'An officer acknowledged the referral (the deadline applies to this).',
  payload: z.object({
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    acknowledgeBy: z.string().datetime({ offset: true }),
    late: z.boolean(),
  }),
});

export const ReferralAccepted = defineEvent({
  type: 'ReferralAccepted',
  version: 1,
  owner: 'police',
  category: 'referral',
  summary: 'Police accepted the referral: a case was opened for it, or it was attached to an existing case.',
  payload: z.object({
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    caseId: z.string().uuid(),
    mode: z.enum(['OPENED_CASE', 'ATTACHED_TO_CASE']),
  }),
});

export const ReferralRejected = defineEvent({
  type: 'ReferralRejected',
  version: 1,
  owner: 'police',
  category: 'referral',
  summary: 'Police rejected the referral with a reason, optionally naming the competent agency.',
  payload: z.object({
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    reason: z.string(),
    forwardTo: z.object({ agencyKind: z.string(), jurisdiction: DivisionCode }).optional(),
  }),
});

export const InformationRequested = defineEvent({
  type: 'InformationRequested',
  version: 1,
  owner: 'police',
  category: 'referral',
  handoff: true,
  summary: 'Police asked the submitting agency for more information.',
  payload: z.object({
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    requestId: z.string().uuid(),
    handoff: Handoff,
    question: z.string(),
  }),
});

export const InformationReceived = defineEvent({
  type: 'InformationReceived',
  version: 1,
  owner: 'police',
  category: 'referral',
  summary: "The submitting agency's answer reached the referral.",
  payload: z.object({
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    requestId: z.string().uuid(),
    answer: z.string(),
  }),
});

export const ReferralEscalated = defineEvent({
  type: 'ReferralEscalated',
  version: 1,
  owner: 'police',
  category: 'referral',
  handoff: true,
  summary: 'The acknowledgment deadline passed: the overdue referral is escalated to the joint-conference office.',
  payload: z.object({
    referralId: z.string().uuid(),
    clueId: z.string().uuid(),
    handoff: Handoff,
    priority: Priority,
    acknowledgeBy: z.string().datetime({ offset: true }),
    overdueMinutes: z.number().int().nonnegative(),
  }),
});
