import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ClueCategory, OverdueHandoffsReport, Priority } from '@atr/contracts';
import { CLOCK, READ_MODELS, type Clock, type ReadModels } from '@atr/platform';
import { REPORTS_PROJECTION } from './reports.projection';
import { resolveScope, scopeEcho, type ReportRequest } from './report-scope';
import { OVERDUE } from './situation.query';

export class GetOverdueHandoffs extends Query<OverdueHandoffsReport> {
  constructor(readonly request: ReportRequest) {
    super();
  }
}

interface OverdueRow {
  referral_id: string;
  clue_id: string;
  jurisdiction: string;
  police_agency_id: string | null;
  category: ClueCategory;
  priority: Priority;
  referred_ms: number;
  acknowledge_by_ms: number;
  acknowledged_ms: number | null;
  rejected_ms: number | null;
  escalated_ms: number | null;
  escalated_to_agency_id: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The list behind the situation report's `overdueHandoffs` counts (same WHERE clause). */
@QueryHandler(GetOverdueHandoffs)
export class GetOverdueHandoffsHandler implements IQueryHandler<GetOverdueHandoffs, OverdueHandoffsReport> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request }: GetOverdueHandoffs): Promise<OverdueHandoffsReport> {
    const scope = resolveScope(request);
    const now = this.clock.now();
    const rows = this.readModels.db
      .prepare(
        `SELECT referral_id, clue_id, jurisdiction, police_agency_id, category, priority, referred_ms, acknowledge_by_ms,
                acknowledged_ms, rejected_ms, escalated_ms, escalated_to_agency_id
         ${OVERDUE}
         ORDER BY acknowledge_by_ms, referral_id`,
      )
      .all({ ...scope.params, now: now.getTime() }) as OverdueRow[];
    return {
      scope: scopeEcho(scope, now, this.readModels.position(REPORTS_PROJECTION)),
      items: rows.map((r) => {
        const unacknowledged = r.acknowledged_ms === null && r.rejected_ms === null;
        return {
          referralId: r.referral_id,
          clueId: r.clue_id,
          jurisdiction: r.jurisdiction,
          policeAgencyId: r.police_agency_id,
          category: r.category,
          priority: r.priority,
          referredAt: iso(r.referred_ms)!,
          acknowledgeBy: iso(r.acknowledge_by_ms)!,
          acknowledgedAt: iso(r.acknowledged_ms),
          escalatedAt: iso(r.escalated_ms),
          escalatedTo: r.escalated_to_agency_id,
          escalated: r.escalated_ms !== null,
          acknowledgedLate: r.acknowledged_ms !== null && r.acknowledged_ms > r.acknowledge_by_ms,
          unacknowledged,
          overdueMs: (r.acknowledged_ms ?? r.rejected_ms ?? now.getTime()) - r.acknowledge_by_ms,
        };
      }),
    };
  }
}
