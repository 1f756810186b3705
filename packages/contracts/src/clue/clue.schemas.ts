import { z } from 'zod';
import { DivisionCode } from '../agency';

// Building blocks shared by the clue's events and the submission DTOs.

export const ClueSource = z.enum(['ONLINE_CONTENT', 'HOSPITAL', 'SCHOOL', 'CIVIL_REGISTRATION', 'PUBLIC_TIP']);
export type ClueSource = z.infer<typeof ClueSource>;

export const ClueCategory = z.enum([
  'CHILD_TRAFFICKING',
  'WOMAN_TRAFFICKING',
  'ILLEGAL_ADOPTION',
  'SURROGACY',
  'FORCED_LABOUR',
  'SEXUAL_EXPLOITATION',
  'BIRTH_CERTIFICATE_FRAUD',
  'SUSPICIOUS_MARRIAGE',
  'OTHER',
]);
export type ClueCategory = z.infer<typeof ClueCategory>;

/** URGENT: a missing or endangered child — the rapid-search mechanism acts in minutes. */
export const Priority = z.enum(['URGENT', 'HIGH', 'NORMAL']);
export type Priority = z.infer<typeof Priority>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const Location = z.object({
  divisionCode: DivisionCode.describe('where it happened: decides the police unit'),
  address: text(500).optional(),
});

export const Sex = z.enum(['F', 'M', 'UNKNOWN']);

/** Resident identity card number (GB 11643): 17 digits and a check digit or X. */
export const IdNumber = z.string().regex(/^\d{17}[\dX]$/, 'must be an 18-character resident ID number');

export const PersonDescription = z.object({
  name: text(100).optional(),
  idNumber: IdNumber.optional(),
  birthDate: z.iso.date().optional(),
  sex: Sex.optional(),
  description: text(2000).optional(),
});
export type PersonDescription = z.infer<typeof PersonDescription>;

export const ContentHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 lowercase hex digits>');

export const Attachment = z.object({
  fileName: text(255),
  mediaType: text(100),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
});

// Source-specific facts (the source decides the schema).

export const OnlineContentDetails = z.object({
  source: z.literal('ONLINE_CONTENT'),
  platform: text(100),
  account: text(200),
  url: z.url().max(2000),
  contentHash: ContentHash,
  contentKind: z.enum(['TRAFFICKING_AD', 'ILLEGAL_ADOPTION', 'SURROGACY_AD', 'CHILD_SEXUAL_CONTENT', 'OTHER']),
  attachments: z.array(Attachment).max(20).default([]),
});

export const HospitalDetails = z.object({
  source: z.literal('HOSPITAL'),
  hospitalName: text(200),
  anomaly: z.enum(['DELIVERY_UNDER_ANOTHER_NAME', 'BIRTH_CERTIFICATE_ANOMALY', 'SUSPECTED_VICTIM']),
  identityCheckResult: z.enum(['MATCH', 'MISMATCH', 'REFUSED', 'NOT_CHECKED']),
  birthCertificateNumber: text(50).optional(),
  patient: PersonDescription.optional(),
});

export const SchoolDetails = z.object({
  source: z.literal('SCHOOL'),
  schoolName: text(200),
  reason: z.enum(['MANDATORY_REPORT_SUSPECTED_VICTIM', 'UNEXPLAINED_DROPOUT', 'UNKNOWN_ORIGIN']),
  student: PersonDescription,
  lastSeenAt: z.iso.date().optional(),
});

export const CivilRegistrationDetails = z.object({
  source: z.literal('CIVIL_REGISTRATION'),
  registry: z.enum(['MARRIAGE', 'ADOPTION']),
  registrationNumber: text(50).optional(),
  anomaly: text(1000),
  parties: z.array(PersonDescription).max(10).default([]),
});

export const PublicTipDetails = z.object({
  source: z.literal('PUBLIC_TIP'),
  channel: z.enum(['HOTLINE', 'WEB', 'APP', 'IN_PERSON']),
  tipster: z
    .object({ anonymous: z.boolean(), contact: text(200).optional() })
    .default({ anonymous: true }),
  wantsReward: z.boolean().default(false),
});

export const ClueDetails = z.discriminatedUnion('source', [
  OnlineContentDetails,
  HospitalDetails,
  SchoolDetails,
  CivilRegistrationDetails,
  PublicTipDetails,
]);
export type ClueDetails = z.infer<typeof ClueDetails>;

/** What police receive of a clue with its referral: the content and the deadline. */
export const ReferredClue = z.object({
  category: ClueCategory,
  priority: Priority,
  acknowledgeBy: z.string().datetime({ offset: true }),
  source: ClueSource,
  summary: z.string(),
  location: Location,
  child: PersonDescription.optional(),
  childMissing: z.boolean(),
  childInDanger: z.boolean(),
  details: ClueDetails,
});
