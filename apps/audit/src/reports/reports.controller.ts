import { Controller, Get, Headers, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { OverdueHandoffsReport, ReportQuery, SelfEvaluationQuery, SelfEvaluationReport, SituationReport, type Actor, type ReportFormat } from '@atr/contracts';
import { CurrentActor, Endpoint } from '@atr/platform';
import { AUDIT_ACCESS } from '../access/audit-access';
import { CSV_CONTENT_TYPE } from './csv';
import { GetOverdueHandoffs } from './overdue-handoffs.query';
import { overdueHandoffsCsv, selfEvaluationsCsv, situationCsv } from './report-csv';
import { GetSelfEvaluations } from './self-evaluation.query';
import { GetSituationReport } from './situation.query';

/** The part of Fastify's reply a CSV answer needs. */
interface Reply {
  header(name: string, value: string): Reply;
}

const tags = ['audit: reports'];
const errors = { 403: 'not an auditor, or the jurisdiction is neither yours nor under it' };
const csvNote = (file: string) =>
  ` With \`format=csv\` (or \`Accept: text/csv\`) the answer is \`text/csv; charset=utf-8\` as an attachment named like \`${file}\`.`;

/** CSV when asked by `format=csv`, or by `Accept: text/csv` unless `format=json` says otherwise. */
export function wantsCsv(format: ReportFormat | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (format === undefined && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept ?? ''));
}

/**
 * The oversight reports of the joint-conference office and the procuratorate, computed from the
 * event history (the `audit_reports` read model, rebuilt and checked by POST /audit/replays).
 */
@Controller('audit/reports')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('situation')
  @Endpoint({
    summary: 'Situation analysis of a jurisdiction for a half-year or year (形势分析)',
    description:
      'Clues by source and category; time to acknowledge and to accept referrals (p50/p90/max); overdue hand-offs; cases opened, solved, closed; ' +
      'the solve rate of child cases (发一破一); victims rescued → placed → reintegrated with the time between. Each field says what it counts.' +
      csvNote('situation-532600-2026-H1.csv') +
      ' The CSV has one row per number: jurisdiction, period, section, metric, key, value.',
    tags,
    allow: AUDIT_ACCESS,
    query: ReportQuery,
    response: SituationReport,
    errors,
  })
  async situation(@QueryParams() query: ReportQuery, @CurrentActor() auditor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: Reply) {
    const report: SituationReport = await this.queries.execute(new GetSituationReport({ auditor, jurisdiction: query.jurisdiction, period: query.period }));
    if (!wantsCsv(query.format, accept)) return report;
    return csv(reply, `situation-${report.scope.jurisdiction}-${report.scope.period}.csv`, situationCsv(report));
  }

  @Get('overdue-handoffs')
  @Endpoint({
    summary: 'Overdue hand-offs of a jurisdiction for a half-year or year (超时移交)',
    description:
      'Every referral of the jurisdiction whose acknowledgment deadline fell in the period and was missed: escalated to the joint-conference office, ' +
      'acknowledged late, or still unacknowledged — the list behind the situation report’s overdueHandoffs.' +
      csvNote('overdue-handoffs-532600-2026-H1.csv') +
      ' The CSV has one row per referral.',
    tags,
    allow: AUDIT_ACCESS,
    query: ReportQuery,
    response: OverdueHandoffsReport,
    errors,
  })
  async overdueHandoffs(@QueryParams() query: ReportQuery, @CurrentActor() auditor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: Reply) {
    const report: OverdueHandoffsReport = await this.queries.execute(new GetOverdueHandoffs({ auditor, jurisdiction: query.jurisdiction, period: query.period }));
    if (!wantsCsv(query.format, accept)) return report;
    return csv(reply, `overdue-handoffs-${report.scope.jurisdiction}-${report.scope.period}.csv`, overdueHandoffsCsv(report));
  }

  @Get('self-evaluations')
  @Endpoint({
    summary: 'Annual self-evaluation of each member agency in a jurisdiction (自评报告)',
    description:
      'For each agency of the jurisdiction (and the divisions under it): what the event history shows it did in the year — clues submitted, referrals received and ' +
      'acknowledged on time or late, cases opened and solved, victims rescued and placed, assessments, reintegration services, follow-up visits.' +
      csvNote('self-evaluations-532600-2026.csv') +
      ' The CSV has one row per agency.',
    tags,
    allow: AUDIT_ACCESS,
    query: SelfEvaluationQuery,
    response: SelfEvaluationReport,
    errors,
  })
  async selfEvaluations(@QueryParams() query: SelfEvaluationQuery, @CurrentActor() auditor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: Reply) {
    const report: SelfEvaluationReport = await this.queries.execute(new GetSelfEvaluations({ auditor, jurisdiction: query.jurisdiction, period: query.year }));
    if (!wantsCsv(query.format, accept)) return report;
    return csv(reply, `self-evaluations-${report.scope.jurisdiction}-${report.scope.period}.csv`, selfEvaluationsCsv(report));
  }
}

function csv(reply: Reply, fileName: string, body: string): string {
  reply.header('content-type', CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="${fileName}"`);
  return body;
}
