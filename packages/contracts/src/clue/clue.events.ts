import { z } from 'zod';
import { AgencyKind, DivisionCode } from '../agency';
import { defineEvent, Handoff, Party, registerUpcaster } from '../catalogue';
import { ClueCategory, ClueDetails, ClueSource, Location, PersonDescription, Priority, ReferredClue } from './clue.schemas';

/** Stream of one clue, owned by intake. */
export const clueStream = (clueId: string) => `clue-${clueId}`;

export const ClueSubmitted = defineEvent({
  type: 'ClueSubmitted',
  version: 2,
  owner: 'intake',
  category: 'clue',
  summary: 'An agency submitted a clue through its source-specific API (v1 had a bare divisionCode; v2 a location).',
  payload: z.object({
    clueId: z.string().uuid(),
    source: ClueSource,
    submittedBy: z.object({ agencyId: z.string(), agencyKind: AgencyKind, jurisdiction: DivisionCode }),
    /** The agency's own reference or Idempotency-Key: a retry under it returns the same clue. */
    idempotencyKey: z.string().min(1),
    /** SHA-256 of the canonical request body: a different body under a used key is refused. */
    requestHash: z.string(),
    location: Location,
    summary: z.string(),
    child: PersonDescription.optional(),
    childMissing: z.boolean(),
    childInDanger: z.boolean(),
    details: ClueDetails,
  }),
});

// v1 (the first release) carried `divisionCode` and `address` at the top level.
registerUpcaster('ClueSubmitted', 1, (payload) => {
  const { divisionCode, address, ...rest } = payload as { divisionCode: string; address?: string };
  return { ...rest, location: address === undefined ? { divisionCode } : { divisionCode, address } };
});

export const ClueTriaged = defineEvent({
  type: 'ClueTriaged',
  version: 1,
  owner: 'intake',
  category: 'clue',
  summary: 'Intake decided category, priority, acknowledgment deadline and the police unit that covers the place.',
  payload: z.object({
    clueId: z.string().uuid(),
    category: ClueCategory,
    priority: Priority,
    reasons: z.array(z.string()),
    acknowledgeWithinMinutes: z.number().int().positive(),
    routedTo: z.object({
      agencyId: z.string().nullable(),
      jurisdiction: DivisionCode,
      /** UNIT: the unit of the division; CITY_FALLBACK: no unit covers it, the city-level queue. */
      queue: z.enum(['UNIT', 'CITY_FALLBACK']),
    }),
    /** Fingerprints used to find duplicates: content hash, child identity. */
    fingerprints: z.array(z.string()),
  }),
});

export const ClueReferred = defineEvent({
  type: 'ClueReferred',
  version: 1,
  owner: 'intake',
  category: 'clue',
  handoff: true,
  summary: 'Hand-off 移送: the clue goes to the police unit (or city queue) of its jurisdiction, with a deadline.',
  payload: z.object({
    clueId: z.string().uuid(),
    referralId: z.string().uuid(),
    handoff: Handoff,
    ...ReferredClue.shape,
  }),
});

export const ClueLinkedAsDuplicate = defineEvent({
  type: 'ClueLinkedAsDuplicate',
  version: 1,
  owner: 'intake',
  category: 'clue',
  summary: 'The clue repeats an earlier one (same content hash or same child) and is linked to it, not referred twice.',
  payload: z.object({
    clueId: z.string().uuid(),
    duplicateOf: z.string().uuid(),
    matchedOn: z.array(z.string()),
    referralId: z.string().uuid().nullable(),
  }),
});

export const AdditionalInformationProvided = defineEvent({
  type: 'AdditionalInformationProvided',
  version: 1,
  owner: 'intake',
  category: 'clue',
  handoff: true,
  summary: 'The submitting agency answered a police request for more information.',
  payload: z.object({
    clueId: z.string().uuid(),
    referralId: z.string().uuid(),
    requestId: z.string().uuid(),
    handoff: Handoff,
    answer: z.string(),
  }),
});

/** Feedback 反馈 to the submitting agency, recorded on the clue when police act on it. */
export const ClueOutcomeRecorded = defineEvent({
  type: 'ClueOutcomeRecorded',
  version: 1,
  owner: 'intake',
  category: 'clue',
  summary: 'Intake recorded, on the clue, what police did with its referral (feedback to the submitter).',
  payload: z.object({
    clueId: z.string().uuid(),
    referralId: z.string().uuid(),
    outcome: z.enum(['ACKNOWLEDGED', 'ACCEPTED', 'REJECTED', 'INFORMATION_REQUESTED', 'ESCALATED']),
    caseId: z.string().uuid().optional(),
    reason: z.string().optional(),
    requestId: z.string().uuid().optional(),
    question: z.string().optional(),
    /** The police party that acted (for INFORMATION_REQUESTED: who asked, so the answer goes back to them). */
    by: Party.optional(),
  }),
});
