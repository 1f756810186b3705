import { z } from 'zod';
import { DivisionCode } from '../agency';
import {
  CivilRegistrationDetails,
  ClueCategory,
  ClueSource,
  HospitalDetails,
  Location,
  OnlineContentDetails,
  PersonDescription,
  Priority,
  PublicTipDetails,
  SchoolDetails,
} from './clue.schemas';

// HTTP DTOs of the clue area (intake). Submission bodies are flat: the common fields and the
// source's own fields side by side (e.g. `contentHash` at the top level, not under `details`).
// The submitting agency, its kind and jurisdiction come from the API key, never from the body.

const SourceReference = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe("the agency's own reference for the clue; used as the idempotency key when no Idempotency-Key header is sent");

/** Fields every source sends. */
const CommonSubmissionFields = {
  sourceReference: SourceReference.optional(),
  location: Location.strict().describe('where it happened: location.divisionCode decides the police unit'),
  summary: z.string().trim().min(1).max(4000).describe('what was observed, in the reporter’s words (stored byte-exact)'),
  child: PersonDescription.strict().optional().describe('the child concerned, if any'),
  childMissing: z.boolean().default(false).describe('a child is missing: URGENT, the rapid-search mechanism applies'),
  childInDanger: z.boolean().default(false).describe('a child is in danger now: URGENT'),
};

/** A body with the common fields and the source's own fields (its *Details schema without `source`), flat. */
function submission<S extends z.ZodObject>(details: S, description: string) {
  const { source: _source, ...own } = details.shape;
  void _source;
  return z.strictObject({ ...CommonSubmissionFields, ...(own as Omit<S['shape'], 'source'>) }).describe(description);
}

export const OnlineContentSubmission = submission(
  OnlineContentDetails,
  'Cyberspace office: an online trafficking ad, illegal adoption post, surrogacy ad or child sexual content. Source fields (platform, account, url, contentHash, contentKind, attachments) are flat in the body.',
);
export const HospitalSubmission = submission(
  HospitalDetails,
  'Hospital: a birth anomaly or suspected victim. Source fields (hospitalName, anomaly, identityCheckResult, birthCertificateNumber, patient) are flat in the body.',
);
export const SchoolSubmission = submission(
  SchoolDetails,
  'School (mandatory report): suspected victim, unexplained dropout, child of unknown origin. Source fields (schoolName, reason, student, lastSeenAt) are flat in the body.',
);
export const CivilRegistrationSubmission = submission(
  CivilRegistrationDetails,
  'Civil affairs registry: a suspicious marriage or adoption registration. Source fields (registry, registrationNumber, anomaly, parties) are flat in the body.',
);
export const PublicTipSubmission = submission(
  PublicTipDetails,
  'Citizen tip received by a public reporting platform. Source fields (channel, tipster, wantsReward) are flat in the body.',
);

export type OnlineContentSubmission = z.infer<typeof OnlineContentSubmission>;
export type HospitalSubmission = z.infer<typeof HospitalSubmission>;
export type SchoolSubmission = z.infer<typeof SchoolSubmission>;
export type CivilRegistrationSubmission = z.infer<typeof CivilRegistrationSubmission>;
export type PublicTipSubmission = z.infer<typeof PublicTipSubmission>;
export type AnySubmission =
  | OnlineContentSubmission
  | HospitalSubmission
  | SchoolSubmission
  | CivilRegistrationSubmission
  | PublicTipSubmission;

export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1–200 visible ASCII characters')
  .describe('a retry with the same key returns the same clue');

export const RoutedTo = z.object({
  agencyId: z.string().nullable().describe('the police agency; null when the city queue has no named agency'),
  jurisdiction: DivisionCode,
  queue: z.enum(['UNIT', 'CITY_FALLBACK']),
});
export type RoutedTo = z.infer<typeof RoutedTo>;

/** Where a clue stands, as its submitter sees it. */
export const ClueStatus = z.enum([
  'RECEIVED',
  'REFERRED',
  'DUPLICATE',
  'ACKNOWLEDGED',
  'INFORMATION_REQUESTED',
  'ACCEPTED',
  'REJECTED',
  'ESCALATED',
]);
export type ClueStatus = z.infer<typeof ClueStatus>;

/** 201 on a first submission; 200 with `Idempotent-Replayed: true` and the same body on a retry. */
export const SubmissionAccepted = z.object({
  clueId: z.string().uuid(),
  status: ClueStatus.describe('RECEIVED at submission; follow statusUrl for what became of it'),
  category: ClueCategory,
  priority: Priority,
  acknowledgeBy: z.string().datetime({ offset: true }).describe('police must acknowledge the referral by then'),
  routedTo: RoutedTo,
  statusUrl: z.string(),
});
export type SubmissionAccepted = z.infer<typeof SubmissionAccepted>;

export const ClueIdParams = z.object({ clueId: z.string().uuid() });

export const ProvideInformationBody = z.strictObject({
  requestId: z.string().uuid().describe('the police request being answered (from openQuestions of the status)'),
  answer: z.string().trim().min(1).max(4000),
});
export type ProvideInformationBody = z.infer<typeof ProvideInformationBody>;

export const InformationProvided = z.object({
  clueId: z.string().uuid(),
  referralId: z.string().uuid(),
  requestId: z.string().uuid(),
  answeredAt: z.string().datetime({ offset: true }),
});
export type InformationProvided = z.infer<typeof InformationProvided>;

export const ClueStatusView = z.object({
  clueId: z.string().uuid(),
  source: ClueSource,
  status: ClueStatus,
  category: ClueCategory.nullable(),
  priority: Priority.nullable(),
  acknowledgeBy: z.string().datetime({ offset: true }).nullable(),
  routedTo: RoutedTo.nullable(),
  summary: z.string(),
  referralId: z.string().uuid().nullable(),
  duplicateOf: z.string().uuid().optional(),
  caseId: z.string().uuid().optional(),
  rejectionReason: z.string().optional(),
  openQuestions: z.array(z.object({ requestId: z.string().uuid(), question: z.string() })),
  timeline: z.array(z.object({ at: z.string().datetime({ offset: true }), event: z.string(), summary: z.string() })),
});
export type ClueStatusView = z.infer<typeof ClueStatusView>;

export const ClueListQuery = z.strictObject({
  status: ClueStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.coerce.number().int().positive().optional().describe('the `next` cursor of the previous page'),
});
export type ClueListQuery = z.infer<typeof ClueListQuery>;

export const ClueListItem = z.object({
  clueId: z.string().uuid(),
  source: ClueSource,
  status: ClueStatus,
  category: ClueCategory.nullable(),
  priority: Priority.nullable(),
  summary: z.string(),
  divisionCode: DivisionCode,
  submittedAt: z.string().datetime({ offset: true }),
  acknowledgeBy: z.string().datetime({ offset: true }).nullable(),
  referralId: z.string().uuid().nullable(),
  duplicateOf: z.string().uuid().nullable(),
});
export type ClueListItem = z.infer<typeof ClueListItem>;

export const ClueList = z.object({
  items: z.array(ClueListItem).describe('newest first'),
  next: z.number().int().nullable().describe('pass as `after` for the next page; null on the last page'),
});
export type ClueList = z.infer<typeof ClueList>;
