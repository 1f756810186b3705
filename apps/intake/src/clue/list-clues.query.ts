import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor, ClueList, ClueListItem, ClueListQuery } from '@atr/contracts';
import { READ_MODELS, ReadModels } from '@atr/platform';

export class ListClues extends Query<ClueList> {
  constructor(
    readonly actor: Actor,
    readonly query: ClueListQuery,
  ) {
    super();
  }
}

interface Row {
  clue_id: string;
  position: number;
  source: ClueListItem['source'];
  summary: string;
  division_code: string;
  submitted_at: string;
  category: ClueListItem['category'];
  priority: ClueListItem['priority'];
  acknowledge_by: string | null;
  referral_id: string | null;
  duplicate_of: string | null;
  status: ClueListItem['status'];
}

/** The calling agency's own clues, newest first, paged by submission position. */
@QueryHandler(ListClues)
export class ListCluesHandler implements IQueryHandler<ListClues, ClueList> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ actor, query }: ListClues): Promise<ClueList> {
    const rows = this.readModels.db
      .prepare(
        `SELECT * FROM intake_clues
         WHERE agency_id = @agency AND (@status IS NULL OR status = @status) AND (@after IS NULL OR position < @after)
         ORDER BY position DESC LIMIT @limit`,
      )
      .all({ agency: actor.agencyId, status: query.status ?? null, after: query.after ?? null, limit: query.limit + 1 }) as Row[];
    const page = rows.slice(0, query.limit);
    return { items: page.map(itemOf), next: rows.length > query.limit ? page[page.length - 1].position : null };
  }
}

function itemOf(r: Row): ClueListItem {
  return {
    clueId: r.clue_id,
    source: r.source,
    status: r.status,
    category: r.category,
    priority: r.priority,
    summary: r.summary,
    divisionCode: r.division_code,
    submittedAt: r.submitted_at,
    acknowledgeBy: r.acknowledge_by,
    referralId: r.referral_id,
    duplicateOf: r.duplicate_of,
  };
}
