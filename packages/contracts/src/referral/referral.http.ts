import { z } from 'zod';
import { AgencyKind, DivisionCode } from '../agency';
import { Handoff } from '../catalogue';
import { ClueCategory, ClueDetails, ClueSource, Location, PersonDescription, Priority } from '../clue/clue.schemas';

// HTTP DTOs of the police referral inbox (request bodies, queries, responses); types are inferred.

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.string().datetime({ offset: true });

export const ReferralStatus = z.enum(['RECEIVED', 'ACKNOWLEDGED', 'ACCEPTED', 'REJECTED']);
export type ReferralStatus = z.infer<typeof ReferralStatus>;

export const ReferralIdParams = z.object({ referralId: z.string().uuid() });
export type ReferralIdParams = z.infer<typeof ReferralIdParams>;

export const ListReferralsQuery = z
  .object({
    status: ReferralStatus.optional(),
    priority: Priority.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListReferralsQuery = z.infer<typeof ListReferralsQuery>;

export const OfficerRef = z.object({ userId: text(100), name: text(100).optional() }).strict();
export type OfficerRef = z.infer<typeof OfficerRef>;

/** Either `{ caseId }` (attach to an existing case) or `{ title?, taskForceLeader? }` (open a case). */
export const AcceptReferralBody = z
  .object({
    caseId: z.string().uuid().optional().describe('attach the referral to this existing, open case'),
    title: text(200).optional().describe('title of the case to open (default: the clue summary)'),
    taskForceLeader: OfficerRef.optional().describe('a CASE_LEADER; required for a child case (default: the caller if CASE_LEADER)'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.caseId !== undefined && (body.title !== undefined || body.taskForceLeader !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['caseId'], message: 'caseId (attach to a case) cannot be combined with title or taskForceLeader (open a case)' });
    }
  });
export type AcceptReferralBody = z.infer<typeof AcceptReferralBody>;

export const RejectReferralBody = z
  .object({
    reason: text(2000),
    forwardTo: z.object({ agencyKind: AgencyKind, jurisdiction: DivisionCode }).strict().optional(),
  })
  .strict();
export type RejectReferralBody = z.infer<typeof RejectReferralBody>;

export const RequestInformationBody = z.object({ question: text(2000) }).strict();
export type RequestInformationBody = z.infer<typeof RequestInformationBody>;

export const AcknowledgeReferralResponse = z.object({
  referralId: z.string().uuid(),
  acknowledgedAt: instant,
  acknowledgeBy: instant,
  late: z.boolean(),
});

export const AcceptReferralResponse = z.object({
  referralId: z.string().uuid(),
  caseId: z.string().uuid(),
  mode: z.enum(['OPENED_CASE', 'ATTACHED_TO_CASE']),
});
export type AcceptReferralResponse = z.infer<typeof AcceptReferralResponse>;

export const RejectReferralResponse = z.object({ referralId: z.string().uuid(), status: z.literal('REJECTED') });

export const RequestInformationResponse = z.object({ requestId: z.string().uuid() });

export const InboxItem = z.object({
  referralId: z.string().uuid(),
  clueId: z.string().uuid(),
  jurisdiction: DivisionCode.describe('the inbox the referral was sent to'),
  status: ReferralStatus,
  category: ClueCategory,
  priority: Priority,
  source: ClueSource,
  summary: z.string(),
  receivedAt: instant,
  acknowledgeBy: instant,
  acknowledgedAt: instant.nullable(),
  late: z.boolean().nullable().describe('acknowledged after the deadline (null until acknowledged)'),
  overdue: z.boolean().describe('still unacknowledged after acknowledgeBy, at the time of the query'),
  escalated: z.boolean(),
  caseId: z.string().uuid().nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxResponse = z.object({ items: z.array(InboxItem) });

export const InformationRequestView = z.object({
  requestId: z.string().uuid(),
  question: z.string(),
  requestedAt: instant.optional(),
  answers: z.array(z.object({ answer: z.string(), receivedAt: instant.optional() })),
});

export const ReferralDetail = z.object({
  referralId: z.string().uuid(),
  clueId: z.string().uuid(),
  status: ReferralStatus,
  handoff: Handoff,
  category: ClueCategory,
  priority: Priority,
  source: ClueSource,
  summary: z.string(),
  location: Location,
  child: PersonDescription.optional(),
  childMissing: z.boolean(),
  childInDanger: z.boolean(),
  details: ClueDetails,
  receivedAt: instant.optional(),
  acknowledgeBy: instant,
  acknowledgedAt: instant.nullable(),
  late: z.boolean().nullable(),
  overdue: z.boolean(),
  escalation: z.object({ escalatedAt: instant.optional(), overdueMinutes: z.number().int() }).nullable(),
  caseId: z.string().uuid().nullable(),
  acceptedAs: z.enum(['OPENED_CASE', 'ATTACHED_TO_CASE']).nullable(),
  rejection: z.object({ reason: z.string(), forwardTo: z.object({ agencyKind: z.string(), jurisdiction: DivisionCode }).optional() }).nullable(),
  informationRequests: z.array(InformationRequestView),
});
export type ReferralDetail = z.infer<typeof ReferralDetail>;

/** An overdue referral escalated to the joint-conference office. */
export const EscalationItem = z.object({
  referralId: z.string().uuid(),
  clueId: z.string().uuid(),
  jurisdiction: DivisionCode,
  priority: Priority,
  category: ClueCategory,
  acknowledgeBy: instant,
  escalatedAt: instant,
  overdueMinutes: z.number().int(),
  status: ReferralStatus.describe('the referral status now'),
});
export type EscalationItem = z.infer<typeof EscalationItem>;
export const EscalationsResponse = z.object({ items: z.array(EscalationItem) });

export const ListEscalationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export type ListEscalationsQuery = z.infer<typeof ListEscalationsQuery>;

export const DeadlineCheckResponse = z.object({ escalated: z.number().int().nonnegative() });
