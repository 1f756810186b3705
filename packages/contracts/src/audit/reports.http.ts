import { z } from 'zod';
import { AgencyKind, DivisionCode } from '../agency';
import { ClueCategory, Priority } from '../clue/clue.schemas';

// HTTP DTOs of the oversight reports (GET /audit/reports/…): the joint-conference office's
// semi-annual situation analysis (每半年形势分析), the overdue hand-offs behind it, and each member
// agency's annual self-evaluation (每年12月中旬自评报告). Every number is computed at query time
// from facts the `audit_reports` read model keeps of the event log, so a replay rebuilds it.

const TIME_ZONE_NOTE = 'Periods are calendar periods in China Standard Time (UTC+08:00): 2026-H1 is [2026-01-01T00:00+08:00, 2026-07-01T00:00+08:00).';

export const ReportPeriodLabel = z
  .string()
  .regex(/^(19|20)\d{2}(-H[12])?$/, 'must be a year (2026) or a half-year (2026-H1, 2026-H2)')
  .describe(`a half-year (2026-H1 = January–June, 2026-H2 = July–December) or a year (2026). ${TIME_ZONE_NOTE}`);

export const ReportYear = z
  .string()
  .regex(/^(19|20)\d{2}$/, 'must be a year, e.g. 2026')
  .describe(`the calendar year of the self-evaluation (自评报告), in China Standard Time (UTC+08:00)`);

export const ReportFormat = z
  .enum(['json', 'csv'])
  .describe('json (default) or csv; `Accept: text/csv` also asks for CSV. CSV is UTF-8 with a byte-order mark (so spreadsheet programs read Chinese correctly), CRLF line ends, RFC 4180 quoting');
export type ReportFormat = z.infer<typeof ReportFormat>;

const ReportJurisdiction = DivisionCode.optional().describe(
  'the division reported on (GB/T 2260): a county (532622), a city or prefecture (532600: every 5326xx) or a province (530000: every 53xxxx). ' +
    'Default: your own jurisdiction. It must be yours or a division under it (else 403).',
);

/** `?jurisdiction=&period=&format=` of the situation and overdue-hand-off reports. */
export const ReportQuery = z
  .object({ jurisdiction: ReportJurisdiction, period: ReportPeriodLabel, format: ReportFormat.optional() })
  .strict();
export type ReportQuery = z.infer<typeof ReportQuery>;

/** `?jurisdiction=&year=&format=` of the self-evaluation reports. */
export const SelfEvaluationQuery = z
  .object({ jurisdiction: ReportJurisdiction, year: ReportYear, format: ReportFormat.optional() })
  .strict();
export type SelfEvaluationQuery = z.infer<typeof SelfEvaluationQuery>;

export const DivisionLevel = z.enum(['PROVINCE', 'CITY', 'COUNTY']);
export type DivisionLevel = z.infer<typeof DivisionLevel>;

export const ReportScope = z.object({
  jurisdiction: DivisionCode,
  level: DivisionLevel.describe('COUNTY: the code alone; CITY: every county code with the same first 4 digits; PROVINCE: the same first 2 digits'),
  period: z.string().describe('2026-H1, 2026-H2 or 2026'),
  from: z.string().describe('start of the period, inclusive (ISO 8601, +08:00)'),
  to: z.string().describe('end of the period, exclusive (ISO 8601, +08:00)'),
  generatedAt: z.string().describe('when the report was computed (UTC); "still waiting" is measured against it'),
  position: z.number().int().describe('global log position the report’s facts reflect (events after it are not counted yet)'),
});
export type ReportScope = z.infer<typeof ReportScope>;

export const DurationStats = z
  .object({
    count: z.number().int().describe('intervals measured'),
    p50Ms: z.number().int().nullable().describe('median, nearest-rank method (the ⌈0.5·n⌉-th smallest); null when count is 0'),
    p90Ms: z.number().int().nullable().describe('90th percentile, nearest-rank method (the ⌈0.9·n⌉-th smallest)'),
    maxMs: z.number().int().nullable(),
  })
  .describe('durations in milliseconds');
export type DurationStats = z.infer<typeof DurationStats>;

const count = (description: string) => z.number().int().describe(description);

export const SituationReport = z
  .object({
    scope: ReportScope,
    clues: z
      .object({
        total: count('clues submitted in the period (ClueSubmitted.occurredAt) whose place (location.divisionCode) is in the jurisdiction; duplicates included'),
        duplicates: count('of which linked as duplicates of an earlier clue (ClueLinkedAsDuplicate)'),
        bySource: z
          .array(z.object({ source: AgencyKind, clues: z.number().int() }))
          .describe('by the submitting agency’s kind (线索来源: 网信办 CYBERSPACE, 医院 HEALTH, 学校 EDUCATION, 民政 CIVIL_AFFAIRS, 群众 PUBLIC…), most first; kinds without clues are left out'),
        byCategory: z.array(z.object({ category: ClueCategory, clues: z.number().int() })).describe('by triage category, every category listed'),
        byPriority: z.array(z.object({ priority: Priority, clues: z.number().int() })).describe('by triage priority, every priority listed'),
      })
      .describe('线索: clues by where they happened'),
    referrals: z
      .object({
        referred: count('referrals (移送, ClueReferred) handed to a police unit or queue of the jurisdiction (the receiving unit’s jurisdiction) in the period'),
        acknowledged: count('of those, acknowledged (ReferralAcknowledged) by now'),
        awaitingAcknowledgment: count('of those, neither acknowledged nor rejected by now'),
        accepted: count('of those, accepted into a case (ReferralAccepted) by now'),
        rejected: count('of those, rejected (ReferralRejected) by now'),
        escalated: count('of those, escalated to the joint-conference office for a missed acknowledgment deadline (ReferralEscalated) by now'),
        timeToAcknowledge: DurationStats.describe('签收用时: ClueReferred.occurredAt → the first ReferralAcknowledged.occurredAt, over the acknowledged referrals of the period'),
        timeToAccept: DurationStats.describe('受理用时: ClueReferred.occurredAt → ReferralAccepted.occurredAt, over the accepted referrals of the period'),
      })
      .describe('移送: referrals made in the period (a cohort: what became of them is counted up to now)'),
    overdueHandoffs: z
      .object({
        total: count('referrals of the jurisdiction whose acknowledgment deadline (acknowledgeBy) fell in the period and was missed'),
        escalated: count('of which escalated to the joint-conference office (ReferralEscalated)'),
        acknowledgedLate: count('of which acknowledged after the deadline'),
        unacknowledged: count('of which still unacknowledged at generatedAt (past the deadline, not rejected)'),
      })
      .describe('超时移交: the list is GET /audit/reports/overdue-handoffs'),
    cases: z
      .object({
        opened: count('cases opened (CaseOpened) in the period by a police unit of the jurisdiction (CaseOpened.jurisdiction)'),
        solved: count('cases solved (破案, CaseSolved) in the period, by a police unit of the jurisdiction (the recording unit)'),
        closed: count('cases closed (CaseClosed) in the period, by a police unit of the jurisdiction'),
        sentForProsecution: count('cases sent to the procuratorate (移送起诉) in the period, by a police unit of the jurisdiction'),
        childCases: z
          .object({
            opened: count('child cases (CaseOpened.childCase: child trafficking, or a child missing, in danger or described — the cases under 一长三包) opened in the period in the jurisdiction'),
            solved: count('of those, solved by now'),
            solvedWithinPeriod: count('of those, solved before the period ended'),
            unsolved: count('of those, not solved by now'),
            solveRate: z.number().nullable().describe('发一破一: solved / opened (4 decimals); 1 means every child case of the period was solved; null when none was opened'),
          })
          .describe('发一破一: every child-trafficking case that occurs must be solved'),
      })
      .describe('案件'),
    victims: z
      .object({
        rescued: count('victims rescued (解救, VictimRescued.rescuedAt) in the period by a police unit of the jurisdiction'),
        children: count('of which children'),
        handedOver: count('of those, whose placement file civil affairs opened (PlacementOpened)'),
        placed: count('of those, given shelter (安置, ShelterAssigned) by now'),
        reunified: count('of those, returned to their family (VictimReunified) by now'),
        reintegrated: count('of those, returned to society (回归社会, VictimReintegrated) by now'),
        rescuedToPlaced: DurationStats.describe('VictimRescued.rescuedAt → ShelterAssigned.since (the first shelter)'),
        placedToReintegrated: DurationStats.describe('ShelterAssigned.since → VictimReintegrated.occurredAt'),
        rescuedToReintegrated: DurationStats.describe('VictimRescued.rescuedAt → VictimReintegrated.occurredAt'),
      })
      .describe('解救 → 安置 → 回归社会: the victims rescued in the period, followed up to now'),
  })
  .describe(`The situation analysis (形势分析) of one jurisdiction and period. ${TIME_ZONE_NOTE}`);
export type SituationReport = z.infer<typeof SituationReport>;

export const OverdueHandoff = z.object({
  referralId: z.string(),
  clueId: z.string(),
  jurisdiction: DivisionCode.describe('the receiving police unit’s (or queue’s) jurisdiction'),
  policeAgencyId: z.string().nullable().describe('the receiving police unit (null for a queue nobody acknowledged)'),
  category: ClueCategory,
  priority: Priority,
  referredAt: z.string().describe('ClueReferred.occurredAt'),
  acknowledgeBy: z.string().describe('the deadline'),
  acknowledgedAt: z.string().nullable(),
  escalatedAt: z.string().nullable().describe('ReferralEscalated.occurredAt'),
  escalatedTo: z.string().nullable().describe('the joint-conference office the escalation went to (null for its queue)'),
  escalated: z.boolean(),
  acknowledgedLate: z.boolean(),
  unacknowledged: z.boolean().describe('still not acknowledged (nor rejected) at generatedAt'),
  overdueMs: z.number().int().describe('how long past the deadline it waited: until acknowledged, else until generatedAt'),
});
export type OverdueHandoff = z.infer<typeof OverdueHandoff>;

export const OverdueHandoffsReport = z
  .object({
    scope: ReportScope,
    items: z.array(OverdueHandoff).describe('by deadline, then referral id'),
  })
  .describe(
    'Overdue hand-offs (超时移交): referrals of the jurisdiction (the receiving police unit’s) whose acknowledgment deadline fell in the period and was missed — ' +
      'escalated to the joint-conference office, acknowledged after the deadline, or still unacknowledged now.',
  );
export type OverdueHandoffsReport = z.infer<typeof OverdueHandoffsReport>;

/** What each member agency did in the year, in the order the CSV columns follow. */
export const SELF_EVALUATION_METRICS = {
  cluesSubmitted: 'clues it submitted (ClueSubmitted.submittedBy)',
  referralsReceived: 'referrals handed to it (ClueReferred, handoff.to; a queue’s referral counts for the unit that acknowledged it)',
  referralsAcknowledged: 'its referrals acknowledged in the year',
  referralsAcknowledgedOnTime: 'of which by the deadline',
  referralsAcknowledgedLate: 'of which after the deadline',
  referralsEscalated: 'its referrals escalated to the joint-conference office for a missed deadline',
  referralsAccepted: 'its referrals accepted into a case',
  referralsRejected: 'its referrals rejected',
  escalationsReceived: 'overdue referrals escalated to it (joint-conference office)',
  casesOpened: 'cases it opened (CaseOpened.agencyId)',
  childCasesOpened: 'of which child cases',
  casesSolved: 'cases it recorded as solved (CaseSolved actor)',
  childCasesSolved: 'of which child cases',
  casesClosed: 'cases it closed',
  casesSentForProsecution: 'cases it sent to the procuratorate (移送起诉)',
  casesReceivedForProsecution: 'cases sent to it for prosecution (procuratorate)',
  victimsRescued: 'victims it rescued (VictimRescued actor, by rescuedAt)',
  victimsReceived: 'rescued victims handed to it (PlacementOpened; civil affairs)',
  victimsSheltered: 'victims it gave shelter (ShelterAssigned.since)',
  victimsReunified: 'victims it returned to their family',
  victimsReintegrated: 'victims whose return to society it recorded',
  assessmentsRequested: 'assessments it requested (AssessmentRequested)',
  assessmentsReceived: 'assessment requests handed to it (AssessmentRequested, handoff.to)',
  assessmentsCompleted: 'assessments it completed (AssessmentCompleted)',
  reintegrationReferralsMade: 'reintegration services it asked for (ReintegrationReferred)',
  reintegrationReferralsReceived: 'reintegration services asked of it (school enrolment, vocational training, legal aid)',
  followUpVisits: 'follow-up visits (跟踪回访) it recorded, by visitedAt',
} as const;
export type SelfEvaluationMetric = keyof typeof SELF_EVALUATION_METRICS;

const metricShape = Object.fromEntries(
  Object.entries(SELF_EVALUATION_METRICS).map(([metric, description]) => [metric, z.number().int().describe(description)]),
) as Record<SelfEvaluationMetric, z.ZodNumber>;

export const AgencySelfEvaluation = z.object({
  agencyId: z.string(),
  name: z.string().nullable().describe('from the agency directory (null for an agency in the history that is no longer configured)'),
  kind: AgencyKind.nullable(),
  jurisdiction: DivisionCode,
  ...metricShape,
});
export type AgencySelfEvaluation = z.infer<typeof AgencySelfEvaluation>;

export const SelfEvaluationReport = z
  .object({
    scope: ReportScope,
    agencies: z.array(AgencySelfEvaluation).describe('every agency of the directory whose jurisdiction is in scope (with zeros when it did nothing), and any other agency the history shows acting there; by jurisdiction, kind, id'),
  })
  .describe(
    'The annual self-evaluation (自评报告) of each member agency of the joint conference in the jurisdiction: what the event history shows it did in the year. ' +
      'Each action counts for the agency that took it (the event’s actor, or the receiver of a hand-off), in the year the action happened. ' +
      TIME_ZONE_NOTE,
  );
export type SelfEvaluationReport = z.infer<typeof SelfEvaluationReport>;
