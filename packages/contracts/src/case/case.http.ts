import { z } from 'zod';
import { DivisionCode } from '../agency';
import { Handoff } from '../catalogue';
import { ClueCategory, PersonDescription } from '../clue/clue.schemas';
import {
  BuyerFamily,
  CaseListedForSupervision,
  DnaMatchFound,
  DnaSampleTaken,
  Victim,
} from './case.events';

// HTTP DTOs of police cases and their supervision (request bodies, queries, responses); types are inferred.

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.string().datetime({ offset: true });
const uuid = z.string().uuid();

export const CaseStatus = z.enum(['OPEN', 'SOLVED', 'SENT_FOR_PROSECUTION', 'CLOSED']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const SupervisionLevel = CaseListedForSupervision.payload.shape.level;

export const CaseIdParams = z.object({ caseId: uuid });
export type CaseIdParams = z.infer<typeof CaseIdParams>;

export const ListCasesQuery = z
  .object({ status: CaseStatus.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
export type ListCasesQuery = z.infer<typeof ListCasesQuery>;

export const AssignTaskForceLeaderBody = z
  .object({ userId: text(100), name: text(100).optional(), reason: text(1000) })
  .strict();
export type AssignTaskForceLeaderBody = z.infer<typeof AssignTaskForceLeaderBody>;

export const DnaSampleBody = DnaSampleTaken.payload
  .omit({ caseId: true })
  .extend({ sampleId: text(100), laboratory: text(200) })
  .strict();
export type DnaSampleBody = z.infer<typeof DnaSampleBody>;

export const DnaMatchBody = DnaMatchFound.payload
  .omit({ caseId: true })
  .extend({ sampleId: text(100), matchedSampleRef: text(200) })
  .strict();
export type DnaMatchBody = z.infer<typeof DnaMatchBody>;

export const SuspectBody = z.object({ suspectId: text(100), description: text(2000), arrested: z.boolean() }).strict();
export type SuspectBody = z.infer<typeof SuspectBody>;

export const MissingChildAlertBody = z
  .object({
    child: PersonDescription,
    jurisdictions: z
      .array(DivisionCode)
      .min(1)
      .max(100)
      .optional()
      .describe('default: the other counties of the same city known to the directory, and the city'),
  })
  .strict();
export type MissingChildAlertBody = z.infer<typeof MissingChildAlertBody>;

export const BuyerFamilyBody = z.object({ family: BuyerFamily }).strict();
export type BuyerFamilyBody = z.infer<typeof BuyerFamilyBody>;

export const RescueBody = z
  .object({ victim: Victim.omit({ victimId: true }).strict(), rescuedAt: instant, place: text(500).optional() })
  .strict();
export type RescueBody = z.infer<typeof RescueBody>;

export const TransferCaseBody = z.object({ toJurisdiction: DivisionCode, reason: text(2000) }).strict();
export type TransferCaseBody = z.infer<typeof TransferCaseBody>;

export const SolveCaseBody = z.object({ summary: text(4000) }).strict();
export type SolveCaseBody = z.infer<typeof SolveCaseBody>;
export const CloseCaseBody = z.object({ reason: text(2000) }).strict();
export type CloseCaseBody = z.infer<typeof CloseCaseBody>;
export const ProsecutionBody = z.object({ note: text(2000).optional() }).strict();
export type ProsecutionBody = z.infer<typeof ProsecutionBody>;

export const SupervisionBody = z.object({ level: SupervisionLevel, note: text(2000).optional() }).strict();
export type SupervisionBody = z.infer<typeof SupervisionBody>;

export const ListSupervisedCasesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export type ListSupervisedCasesQuery = z.infer<typeof ListSupervisedCasesQuery>;

/** The answer to every case command: where the case stands now (plus the ids a command created). */
export const CaseCommandResponse = z.object({
  caseId: uuid,
  status: CaseStatus,
  alertId: uuid.optional(),
  jurisdictions: z.array(DivisionCode).optional(),
  victimId: uuid.optional(),
  placementId: uuid.optional(),
});
export type CaseCommandResponse = z.infer<typeof CaseCommandResponse>;

const Officer = z.object({ userId: z.string(), name: z.string().optional() });

export const CaseSummary = z.object({
  caseId: uuid,
  title: z.string(),
  status: CaseStatus,
  category: ClueCategory,
  childCase: z.boolean(),
  jurisdiction: DivisionCode,
  agencyId: z.string(),
  leaderUserId: z.string().nullable(),
  openedAt: instant,
  supervisionLevels: z.array(SupervisionLevel),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CasesResponse = z.object({ items: z.array(CaseSummary) });

export const CaseDetail = z.object({
  caseId: uuid,
  title: z.string(),
  status: CaseStatus,
  category: ClueCategory,
  childCase: z.boolean(),
  jurisdiction: DivisionCode,
  agencyId: z.string(),
  openedAt: instant.optional(),
  referralIds: z.array(uuid),
  clueIds: z.array(uuid),
  leader: Officer.nullable(),
  samples: z.array(DnaSampleTaken.payload.omit({ caseId: true })),
  matches: z.array(DnaMatchFound.payload.omit({ caseId: true })),
  suspects: z.array(SuspectBody),
  alerts: z.array(z.object({ alertId: uuid, jurisdictions: z.array(DivisionCode), child: PersonDescription, handoff: Handoff })),
  buyerFamilies: z.array(BuyerFamily),
  victims: z.array(z.object({ victim: Victim, rescuedAt: instant, place: z.string().optional(), placementId: uuid.nullable() })),
  supervision: z.array(z.object({ level: SupervisionLevel, note: z.string().optional(), listedAt: instant.optional() })),
  transfers: z.array(z.object({ handoff: Handoff, at: instant.optional() })),
  solution: z.string().nullable(),
  prosecution: z.object({ handoff: Handoff, at: instant.optional() }).nullable(),
  closure: z.string().nullable(),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const SupervisedCase = CaseSummary.extend({
  supervision: z.array(z.object({ level: SupervisionLevel, note: z.string().nullable(), listedAt: instant })),
});
export const SupervisedCasesResponse = z.object({ items: z.array(SupervisedCase) });
