import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ClueCategory, Priority, type AgencyKind, type SituationReport } from '@atr/contracts';
import { CLOCK, READ_MODELS, type Clock, type ReadModels } from '@atr/platform';
import { durationStats } from './durations';
import { REPORTS_PROJECTION } from './reports.projection';
import { resolveScope, scopeEcho, type ReportRequest, type ScopeParams } from './report-scope';

export class GetSituationReport extends Query<SituationReport> {
  constructor(readonly request: ReportRequest) {
    super();
  }
}

// Each block is SQL over the facts of one table; the definitions are in the response schema
// (packages/contracts/src/audit/reports.http.ts).

const CLUES = `
  SELECT source_kind, category, priority, duplicate_of IS NOT NULL AS duplicate, COUNT(*) AS n
  FROM audit_report_clues
  WHERE division_code BETWEEN @lo AND @hi AND submitted_ms >= @from AND submitted_ms < @to
  GROUP BY 1, 2, 3, 4`;

/** Referrals handed to the jurisdiction's police in the period. */
const REFERRAL_COHORT = `
  FROM audit_report_referrals
  WHERE jurisdiction BETWEEN @lo AND @hi AND referred_ms >= @from AND referred_ms < @to`;

const REFERRALS = `
  SELECT COUNT(*) AS referred,
         COUNT(acknowledged_ms) AS acknowledged,
         COALESCE(SUM(acknowledged_ms IS NULL AND rejected_ms IS NULL), 0) AS awaitingAcknowledgment,
         COUNT(accepted_ms) AS accepted,
         COUNT(rejected_ms) AS rejected,
         COUNT(escalated_ms) AS escalated
  ${REFERRAL_COHORT}`;

const TIME_TO_ACKNOWLEDGE = `SELECT acknowledged_ms - referred_ms ${REFERRAL_COHORT} AND acknowledged_ms IS NOT NULL`;
const TIME_TO_ACCEPT = `SELECT accepted_ms - referred_ms ${REFERRAL_COHORT} AND accepted_ms IS NOT NULL`;

/**
 * Referrals whose acknowledgment deadline fell in the period and was missed. A deadline comes
 * after its referral, so `referred_ms < @to` lets the scope index narrow the scan.
 */
export const OVERDUE = `
  FROM audit_report_referrals
  WHERE jurisdiction BETWEEN @lo AND @hi AND referred_ms < @to
    AND acknowledge_by_ms >= @from AND acknowledge_by_ms < @to
    AND (escalated_ms IS NOT NULL
         OR acknowledged_ms > acknowledge_by_ms
         OR (acknowledged_ms IS NULL AND rejected_ms IS NULL AND acknowledge_by_ms < @now))`;

const OVERDUE_SUMMARY = `
  SELECT COUNT(*) AS total,
         COUNT(escalated_ms) AS escalated,
         COALESCE(SUM(acknowledged_ms > acknowledge_by_ms), 0) AS acknowledgedLate,
         COALESCE(SUM(acknowledged_ms IS NULL AND rejected_ms IS NULL), 0) AS unacknowledged
  ${OVERDUE}`;

const inPeriod = (column: string) => `${column} >= @from AND ${column} < @to`;
const CASES = `
  SELECT
    (SELECT COUNT(*) FROM audit_report_cases WHERE opened_jurisdiction BETWEEN @lo AND @hi AND ${inPeriod('opened_ms')}) AS opened,
    (SELECT COUNT(*) FROM audit_report_cases WHERE solved_jurisdiction BETWEEN @lo AND @hi AND ${inPeriod('solved_ms')}) AS solved,
    (SELECT COUNT(*) FROM audit_report_cases WHERE closed_jurisdiction BETWEEN @lo AND @hi AND ${inPeriod('closed_ms')}) AS closed,
    (SELECT COUNT(*) FROM audit_report_cases WHERE prosecuted_by_jurisdiction BETWEEN @lo AND @hi AND ${inPeriod('prosecuted_ms')}) AS sentForProsecution`;

/** 发一破一: the child cases opened in the period, and what became of them. */
const CHILD_CASES = `
  SELECT COUNT(*) AS opened, COUNT(solved_ms) AS solved, COALESCE(SUM(solved_ms < @to), 0) AS solvedWithinPeriod
  FROM audit_report_cases
  WHERE child_case = 1 AND opened_jurisdiction BETWEEN @lo AND @hi AND ${inPeriod('opened_ms')}`;

/** Victims rescued in the period with their (first) placement. */
const VICTIMS = `
  SELECT v.child, v.rescued_ms, p.placement_id, p.placed_ms, p.reunified_ms, p.reintegrated_ms
  FROM audit_report_victims v
  LEFT JOIN audit_report_placements p
    ON p.placement_id = (SELECT placement_id FROM audit_report_placements WHERE victim_id = v.victim_id ORDER BY opened_ms, placement_id LIMIT 1)
  WHERE v.jurisdiction BETWEEN @lo AND @hi AND ${inPeriod('v.rescued_ms')}`;

interface VictimRow {
  child: number;
  rescued_ms: number;
  placement_id: string | null;
  placed_ms: number | null;
  reunified_ms: number | null;
  reintegrated_ms: number | null;
}

@QueryHandler(GetSituationReport)
export class GetSituationReportHandler implements IQueryHandler<GetSituationReport, SituationReport> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request }: GetSituationReport): Promise<SituationReport> {
    const scope = resolveScope(request);
    const now = this.clock.now();
    const db = this.readModels.db;
    const params = scope.params;
    // synchronous from here on: no event is applied between the blocks, so all see one position
    return {
      scope: scopeEcho(scope, now, this.readModels.position(REPORTS_PROJECTION)),
      clues: this.clues(params),
      referrals: {
        ...(db.prepare(REFERRALS).get(params) as Omit<SituationReport['referrals'], 'timeToAcknowledge' | 'timeToAccept'>),
        timeToAcknowledge: durationStats(db.prepare(TIME_TO_ACKNOWLEDGE).pluck().all(params) as number[]),
        timeToAccept: durationStats(db.prepare(TIME_TO_ACCEPT).pluck().all(params) as number[]),
      },
      overdueHandoffs: db.prepare(OVERDUE_SUMMARY).get({ ...params, now: now.getTime() }) as SituationReport['overdueHandoffs'],
      cases: { ...(db.prepare(CASES).get(params) as Omit<SituationReport['cases'], 'childCases'>), childCases: this.childCases(params) },
      victims: this.victims(params),
    };
  }

  private clues(params: ScopeParams): SituationReport['clues'] {
    const rows = this.readModels.db.prepare(CLUES).all(params) as { source_kind: AgencyKind; category: ClueCategory | null; priority: Priority | null; duplicate: number; n: number }[];
    const bySource = new Map<AgencyKind, number>();
    const byCategory = new Map<string, number>(ClueCategory.options.map((c) => [c, 0]));
    const byPriority = new Map<string, number>(Priority.options.map((p) => [p, 0]));
    let total = 0;
    let duplicates = 0;
    for (const row of rows) {
      total += row.n;
      if (row.duplicate) duplicates += row.n;
      bySource.set(row.source_kind, (bySource.get(row.source_kind) ?? 0) + row.n);
      // a clue is triaged in the append that submits it; an untriaged one has no category to count under
      if (row.category) byCategory.set(row.category, byCategory.get(row.category)! + row.n);
      if (row.priority) byPriority.set(row.priority, byPriority.get(row.priority)! + row.n);
    }
    return {
      total,
      duplicates,
      bySource: [...bySource].map(([source, clues]) => ({ source, clues })).sort((a, b) => b.clues - a.clues || a.source.localeCompare(b.source)),
      byCategory: [...byCategory].map(([category, clues]) => ({ category: category as ClueCategory, clues })),
      byPriority: [...byPriority].map(([priority, clues]) => ({ priority: priority as Priority, clues })),
    };
  }

  private childCases(params: ScopeParams): SituationReport['cases']['childCases'] {
    const { opened, solved, solvedWithinPeriod } = this.readModels.db.prepare(CHILD_CASES).get(params) as { opened: number; solved: number; solvedWithinPeriod: number };
    return { opened, solved, solvedWithinPeriod, unsolved: opened - solved, solveRate: opened === 0 ? null : Math.round((solved / opened) * 10_000) / 10_000 };
  }

  private victims(params: ScopeParams): SituationReport['victims'] {
    const rows = this.readModels.db.prepare(VICTIMS).all(params) as VictimRow[];
    const between = (from: (r: VictimRow) => number | null, to: (r: VictimRow) => number | null) =>
      durationStats(rows.flatMap((r) => (from(r) !== null && to(r) !== null ? [to(r)! - from(r)!] : [])));
    return {
      rescued: rows.length,
      children: rows.filter((r) => r.child === 1).length,
      handedOver: rows.filter((r) => r.placement_id !== null).length,
      placed: rows.filter((r) => r.placed_ms !== null).length,
      reunified: rows.filter((r) => r.reunified_ms !== null).length,
      reintegrated: rows.filter((r) => r.reintegrated_ms !== null).length,
      rescuedToPlaced: between((r) => r.rescued_ms, (r) => r.placed_ms),
      placedToReintegrated: between((r) => r.placed_ms, (r) => r.reintegrated_ms),
      rescuedToReintegrated: between((r) => r.rescued_ms, (r) => r.reintegrated_ms),
    };
  }
}
