import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor, CaseSummary, EscalationItem } from '@atr/contracts';
import { READ_MODELS, type ReadModels } from '@atr/platform';
import { CASE_SUMMARY_SQL, toCaseSummary } from '../case/case.queries';
import type { CaseRow } from '../case/cases.projection';
import type { InboxRow } from '../referral/inbox.projection';
import { coverageClause } from '../shared/coverage';

type Listing = { level: CaseSummary['supervisionLevels'][number]; note: string | null; listedAt: string };

export class ListSupervisedCases extends Query<{ items: (CaseSummary & { supervision: Listing[] })[] }> {
  constructor(
    readonly actor: Actor,
    readonly limit: number,
  ) {
    super();
  }
}

export class ListEscalations extends Query<{ items: EscalationItem[] }> {
  constructor(
    readonly actor: Actor,
    readonly limit: number,
  ) {
    super();
  }
}

/** Cases listed for supervision (挂牌督办) in the office's jurisdiction, most recently listed first. */
@QueryHandler(ListSupervisedCases)
export class ListSupervisedCasesHandler implements IQueryHandler<ListSupervisedCases> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ actor, limit }: ListSupervisedCases) {
    const coverage = coverageClause('c.jurisdiction', actor.jurisdiction);
    const db = this.readModels.db;
    const rows = db
      .prepare(
        `${CASE_SUMMARY_SQL} WHERE ${coverage.sql} AND EXISTS (SELECT 1 FROM police_case_supervision s WHERE s.case_id = c.case_id)
         ORDER BY (SELECT MAX(position) FROM police_case_supervision s WHERE s.case_id = c.case_id) DESC LIMIT ?`,
      )
      .all(coverage.param, limit) as CaseRow[];
    const listings = db.prepare('SELECT level, note, listed_at AS listedAt FROM police_case_supervision WHERE case_id = ? ORDER BY position');
    return { items: rows.map((row) => ({ ...toCaseSummary(row), supervision: listings.all(row.case_id) as Listing[] })) };
  }
}

/** Overdue referrals escalated to the office, newest escalation first. */
@QueryHandler(ListEscalations)
export class ListEscalationsHandler implements IQueryHandler<ListEscalations> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ actor, limit }: ListEscalations): Promise<{ items: EscalationItem[] }> {
    const coverage = coverageClause('jurisdiction', actor.jurisdiction);
    const rows = this.readModels.db
      .prepare(`SELECT * FROM police_inbox WHERE escalated = 1 AND ${coverage.sql} ORDER BY escalated_position DESC LIMIT ?`)
      .all(coverage.param, limit) as InboxRow[];
    return {
      items: rows.map((row) => ({
        referralId: row.referral_id,
        clueId: row.clue_id,
        jurisdiction: row.jurisdiction,
        priority: row.priority,
        category: row.category as EscalationItem['category'],
        acknowledgeBy: row.acknowledge_by,
        escalatedAt: row.escalated_at ?? '',
        overdueMinutes: row.overdue_minutes ?? 0,
        status: row.status,
      })),
    };
  }
}
