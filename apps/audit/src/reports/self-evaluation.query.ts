import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { covers, SELF_EVALUATION_METRICS, type AgencySelfEvaluation, type SelfEvaluationMetric, type SelfEvaluationReport } from '@atr/contracts';
import { AGENCY_DIRECTORY, CLOCK, READ_MODELS, type AgencyDirectory, type Clock, type ReadModels } from '@atr/platform';
import { REPORTS_PROJECTION } from './reports.projection';
import { resolveScope, scopeEcho, type ReportRequest } from './report-scope';

export class GetSelfEvaluations extends Query<SelfEvaluationReport> {
  constructor(readonly request: ReportRequest) {
    super();
  }
}

/**
 * Where each metric of the self-evaluation comes from: the fact table, the column naming the
 * agency that acted (and its jurisdiction), and the instant that places the action in the year.
 */
interface MetricSource {
  table: string;
  agency: string;
  jurisdiction: string;
  at: string;
  where?: string;
}

const referrals = (at: string, where?: string): MetricSource => ({ table: 'audit_report_referrals', agency: 'police_agency_id', jurisdiction: 'jurisdiction', at, where });
const cases = (by: 'opened' | 'solved' | 'closed', where?: string): MetricSource => ({
  table: 'audit_report_cases',
  agency: `${by}_agency_id`,
  jurisdiction: `${by}_jurisdiction`,
  at: `${by}_ms`,
  where,
});
const placements = (at: string): MetricSource => ({ table: 'audit_report_placements', agency: 'agency_id', jurisdiction: 'jurisdiction', at });

export const METRIC_SOURCES: Record<SelfEvaluationMetric, MetricSource> = {
  cluesSubmitted: { table: 'audit_report_clues', agency: 'agency_id', jurisdiction: 'agency_jurisdiction', at: 'submitted_ms' },
  referralsReceived: referrals('referred_ms'),
  referralsAcknowledged: referrals('acknowledged_ms'),
  referralsAcknowledgedOnTime: referrals('acknowledged_ms', 'acknowledged_ms <= acknowledge_by_ms'),
  referralsAcknowledgedLate: referrals('acknowledged_ms', 'acknowledged_ms > acknowledge_by_ms'),
  referralsEscalated: referrals('escalated_ms'),
  referralsAccepted: referrals('accepted_ms'),
  referralsRejected: referrals('rejected_ms'),
  escalationsReceived: { table: 'audit_report_referrals', agency: 'escalated_to_agency_id', jurisdiction: 'escalated_to_jurisdiction', at: 'escalated_ms' },
  casesOpened: cases('opened'),
  childCasesOpened: cases('opened', 'child_case = 1'),
  casesSolved: cases('solved'),
  childCasesSolved: cases('solved', 'child_case = 1'),
  casesClosed: cases('closed'),
  casesSentForProsecution: { table: 'audit_report_cases', agency: 'prosecuted_by_agency_id', jurisdiction: 'prosecuted_by_jurisdiction', at: 'prosecuted_ms' },
  casesReceivedForProsecution: { table: 'audit_report_cases', agency: 'procuratorate_agency_id', jurisdiction: 'procuratorate_jurisdiction', at: 'prosecuted_ms' },
  victimsRescued: { table: 'audit_report_victims', agency: 'agency_id', jurisdiction: 'jurisdiction', at: 'rescued_ms' },
  victimsReceived: placements('opened_ms'),
  victimsSheltered: placements('placed_ms'),
  victimsReunified: placements('reunified_ms'),
  victimsReintegrated: placements('reintegrated_ms'),
  assessmentsRequested: { table: 'audit_report_assessments', agency: 'requested_by_agency_id', jurisdiction: 'requested_by_jurisdiction', at: 'requested_ms' },
  assessmentsReceived: { table: 'audit_report_assessments', agency: 'assessor_agency_id', jurisdiction: 'assessor_jurisdiction', at: 'requested_ms' },
  assessmentsCompleted: { table: 'audit_report_assessments', agency: 'assessor_agency_id', jurisdiction: 'assessor_jurisdiction', at: 'completed_ms' },
  reintegrationReferralsMade: { table: 'audit_report_services', agency: 'from_agency_id', jurisdiction: 'from_jurisdiction', at: 'referred_ms' },
  reintegrationReferralsReceived: { table: 'audit_report_services', agency: 'to_agency_id', jurisdiction: 'to_jurisdiction', at: 'referred_ms' },
  followUpVisits: { table: 'audit_report_visits', agency: 'agency_id', jurisdiction: 'jurisdiction', at: 'visited_ms' },
};

const METRICS = Object.keys(SELF_EVALUATION_METRICS) as SelfEvaluationMetric[];

/** One statement: a count per (metric, agency) for every metric, in scope and in the year. */
const SELF_EVALUATION = METRICS.map((metric) => {
  const s = METRIC_SOURCES[metric];
  return `SELECT '${metric}' AS metric, ${s.agency} AS agency_id, ${s.jurisdiction} AS jurisdiction, COUNT(*) AS n
          FROM ${s.table}
          WHERE ${s.agency} IS NOT NULL AND ${s.jurisdiction} BETWEEN @lo AND @hi AND ${s.at} >= @from AND ${s.at} < @to${s.where ? ` AND ${s.where}` : ''}
          GROUP BY 2, 3`;
}).join('\nUNION ALL\n');

const zeros = (): Record<SelfEvaluationMetric, number> => Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<SelfEvaluationMetric, number>;

@QueryHandler(GetSelfEvaluations)
export class GetSelfEvaluationsHandler implements IQueryHandler<GetSelfEvaluations, SelfEvaluationReport> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  async execute({ request }: GetSelfEvaluations): Promise<SelfEvaluationReport> {
    const scope = resolveScope(request);
    const rows = this.readModels.db.prepare(SELF_EVALUATION).all(scope.params) as { metric: SelfEvaluationMetric; agency_id: string; jurisdiction: string; n: number }[];
    // every member agency of the scope reports, even with nothing to show
    const agencies = new Map<string, AgencySelfEvaluation>();
    for (const a of this.directory.agencies) {
      if (covers(scope.jurisdiction, a.jurisdiction)) agencies.set(a.id, { agencyId: a.id, name: a.name, kind: a.kind, jurisdiction: a.jurisdiction, ...zeros() });
    }
    for (const row of rows) {
      let agency = agencies.get(row.agency_id);
      if (!agency) {
        // in the history but no longer configured: still accounted for
        agency = { agencyId: row.agency_id, name: null, kind: null, jurisdiction: row.jurisdiction, ...zeros() };
        agencies.set(row.agency_id, agency);
      }
      agency[row.metric] += row.n;
    }
    return {
      scope: scopeEcho(scope, this.clock.now(), this.readModels.position(REPORTS_PROJECTION)),
      agencies: [...agencies.values()].sort(
        (a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || (a.kind ?? '').localeCompare(b.kind ?? '') || a.agencyId.localeCompare(b.agencyId),
      ),
    };
  }
}
