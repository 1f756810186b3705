import { SELF_EVALUATION_METRICS, type DurationStats, type OverdueHandoffsReport, type SelfEvaluationMetric, type SelfEvaluationReport, type SituationReport } from '@atr/contracts';
import { toCsv, type CsvValue } from './csv';

// The reports as CSV for spreadsheets. The situation report is nested, so it becomes one row per
// number (long format); the lists become one row per item.

export function situationCsv(report: SituationReport): string {
  const { jurisdiction, period } = report.scope;
  const rows: CsvValue[][] = [];
  const add = (section: string, metric: string, key: string, value: CsvValue) => rows.push([jurisdiction, period, section, metric, key, value]);
  const durations = (section: string, metric: string, d: DurationStats) => {
    for (const [name, value] of Object.entries(d)) add(section, `${metric}.${name}`, '', value);
  };
  const { clues, referrals, overdueHandoffs, cases, victims } = report;
  add('clues', 'total', '', clues.total);
  add('clues', 'duplicates', '', clues.duplicates);
  for (const r of clues.bySource) add('clues', 'bySource', r.source, r.clues);
  for (const r of clues.byCategory) add('clues', 'byCategory', r.category, r.clues);
  for (const r of clues.byPriority) add('clues', 'byPriority', r.priority, r.clues);
  const { timeToAcknowledge, timeToAccept, ...referralCounts } = referrals;
  for (const [metric, value] of Object.entries(referralCounts)) add('referrals', metric, '', value);
  durations('referrals', 'timeToAcknowledge', timeToAcknowledge);
  durations('referrals', 'timeToAccept', timeToAccept);
  for (const [metric, value] of Object.entries(overdueHandoffs)) add('overdueHandoffs', metric, '', value);
  const { childCases, ...caseCounts } = cases;
  for (const [metric, value] of Object.entries(caseCounts)) add('cases', metric, '', value);
  for (const [metric, value] of Object.entries(childCases)) add('cases', `childCases.${metric}`, '', value);
  for (const [metric, value] of Object.entries(victims)) {
    if (typeof value === 'number') add('victims', metric, '', value);
    else durations('victims', metric, value);
  }
  return toCsv(['jurisdiction', 'period', 'section', 'metric', 'key', 'value'], rows);
}

const OVERDUE_COLUMNS = [
  'referralId',
  'clueId',
  'jurisdiction',
  'policeAgencyId',
  'category',
  'priority',
  'referredAt',
  'acknowledgeBy',
  'acknowledgedAt',
  'escalatedAt',
  'escalatedTo',
  'escalated',
  'acknowledgedLate',
  'unacknowledged',
  'overdueMs',
] as const satisfies readonly (keyof OverdueHandoffsReport['items'][number])[];

export function overdueHandoffsCsv(report: OverdueHandoffsReport): string {
  return toCsv(OVERDUE_COLUMNS, report.items.map((item) => OVERDUE_COLUMNS.map((c) => item[c])));
}

const METRICS = Object.keys(SELF_EVALUATION_METRICS) as SelfEvaluationMetric[];

export function selfEvaluationsCsv(report: SelfEvaluationReport): string {
  return toCsv(
    ['year', 'agencyId', 'name', 'kind', 'jurisdiction', ...METRICS],
    report.agencies.map((a) => [report.scope.period, a.agencyId, a.name, a.kind, a.jurisdiction, ...METRICS.map((m) => a[m])]),
  );
}
