import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor, AsOfFields, AsOfQuery, CaseDetail, CaseSummary, ListCasesQuery } from '@atr/contracts';
import { asOfFields, READ_MODELS, type ReadModels } from '@atr/platform';
import { coverageClause } from '../shared/coverage';
import type { CaseRow } from './cases.projection';
import { CaseRepository } from './case.repository';

export class ListCases extends Query<{ items: CaseSummary[] }> {
  constructor(
    readonly query: ListCasesQuery,
    readonly actor: Actor,
  ) {
    super();
  }
}

export class GetCase extends Query<CaseDetail & AsOfFields> {
  constructor(
    readonly caseId: string,
    readonly actor: Actor,
    /** The case as it was at this point of the log (absent: now). */
    readonly at?: AsOfQuery,
  ) {
    super();
  }
}

export const CASE_SUMMARY_SQL = `SELECT c.*, (SELECT GROUP_CONCAT(level) FROM (SELECT level FROM police_case_supervision s WHERE s.case_id = c.case_id ORDER BY position)) AS levels
  FROM police_cases c`;

export function toCaseSummary(row: CaseRow): CaseSummary {
  return {
    caseId: row.case_id,
    title: row.title,
    status: row.status,
    category: row.category as CaseSummary['category'],
    childCase: row.child_case === 1,
    jurisdiction: row.jurisdiction,
    agencyId: row.agency_id,
    leaderUserId: row.leader_user_id,
    openedAt: row.opened_at,
    supervisionLevels: row.levels ? (row.levels.split(',') as CaseSummary['supervisionLevels']) : [],
  };
}

/** Cases of the caller's jurisdiction, newest first. */
@QueryHandler(ListCases)
export class ListCasesHandler implements IQueryHandler<ListCases> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ query, actor }: ListCases) {
    const coverage = coverageClause('c.jurisdiction', actor.jurisdiction);
    const where = [coverage.sql];
    const params: unknown[] = [coverage.param];
    if (query.status) {
      where.push('c.status = ?');
      params.push(query.status);
    }
    const rows = this.readModels.db
      .prepare(`${CASE_SUMMARY_SQL} WHERE ${where.join(' AND ')} ORDER BY c.opened_position DESC LIMIT ?`)
      .all(...params, query.limit) as CaseRow[];
    return { items: rows.map(toCaseSummary) };
  }
}

/** The whole case, folded from its stream (no read-model lag), now or as it was. */
@QueryHandler(GetCase)
export class GetCaseHandler implements IQueryHandler<GetCase> {
  constructor(private readonly cases: CaseRepository) {}

  async execute({ caseId, actor, at }: GetCase): Promise<CaseDetail & AsOfFields> {
    const { state, past } = await this.cases.read(caseId, actor, at);
    return {
      ...state,
      caseId: state.caseId,
      status: state.status === 'NONE' ? 'OPEN' : state.status,
      title: state.title ?? '',
      category: state.category ?? 'OTHER',
      agencyId: state.agencyId ?? '',
      ...(past && at ? asOfFields(at, past) : {}),
    };
  }
}
