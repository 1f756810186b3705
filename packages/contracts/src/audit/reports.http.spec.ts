import { AgencySelfEvaluation, ReportQuery, SELF_EVALUATION_METRICS, SelfEvaluationQuery } from '../index';

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => result.error?.issues.map((i) => i.path.join('.'));

describe('report query schemas', () => {
  it('accepts a half-year or a year, a division code and a format', () => {
    expect(ReportQuery.parse({ jurisdiction: '532600', period: '2026-H1', format: 'csv' })).toEqual({ jurisdiction: '532600', period: '2026-H1', format: 'csv' });
    expect(ReportQuery.parse({ period: '2026' })).toEqual({ period: '2026' });
    expect(SelfEvaluationQuery.parse({ year: '2026' })).toEqual({ year: '2026' });
  });

  it.each([
    [{ period: '2026-H3' }, 'period'],
    [{ period: '2026H1' }, 'period'],
    [{}, 'period'],
    [{ period: '2026', jurisdiction: '53260' }, 'jurisdiction'],
    [{ period: '2026', jurisdiction: '032600' }, 'jurisdiction'],
    [{ period: '2026', format: 'xlsx' }, 'format'],
    [{ period: '2026', year: '2026' }, ''],
  ])('refuses %j, naming %p', (query, path) => {
    expect(issuePaths(ReportQuery.safeParse(query))).toEqual([path]);
  });

  it('takes only a year for self-evaluations', () => {
    expect(issuePaths(SelfEvaluationQuery.safeParse({ year: '2026-H2' }))).toEqual(['year']);
    expect(issuePaths(SelfEvaluationQuery.safeParse({ year: '2026', period: '2026' }))).toEqual(['']);
  });

  it('gives every self-evaluation metric a documented integer field', () => {
    const shape = AgencySelfEvaluation.shape as Record<string, { description?: string }>;
    for (const [metric, description] of Object.entries(SELF_EVALUATION_METRICS)) expect(shape[metric]?.description).toBe(description);
  });
});
