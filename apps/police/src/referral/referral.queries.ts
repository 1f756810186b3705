import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor, AsOfFields, AsOfQuery, InboxItem, ListReferralsQuery, ReferralDetail } from '@atr/contracts';
import { asOfFields, CLOCK, READ_MODELS, type Clock, type ReadModels } from '@atr/platform';
import { coverageClause } from '../shared/coverage';
import type { InboxRow } from './inbox.projection';
import { isOverdue } from './referral.decider';
import { ReferralRepository } from './referral.repository';

export class ListInbox extends Query<{ items: InboxItem[] }> {
  constructor(
    readonly query: ListReferralsQuery,
    readonly actor: Actor,
  ) {
    super();
  }
}

export class GetReferral extends Query<ReferralDetail & AsOfFields> {
  constructor(
    readonly referralId: string,
    readonly actor: Actor,
    /** The referral as it was at this point of the log (absent: now). */
    readonly at?: AsOfQuery,
  ) {
    super();
  }
}

export function toInboxItem(row: InboxRow, now: Date): InboxItem {
  return {
    referralId: row.referral_id,
    clueId: row.clue_id,
    jurisdiction: row.jurisdiction,
    status: row.status,
    category: row.category as InboxItem['category'],
    priority: row.priority,
    source: row.source as InboxItem['source'],
    summary: row.summary,
    receivedAt: row.received_at,
    acknowledgeBy: row.acknowledge_by,
    acknowledgedAt: row.acknowledged_at,
    late: row.late === null ? null : row.late === 1,
    overdue: row.status === 'RECEIVED' && row.acknowledge_by_ms < now.getTime(),
    escalated: row.escalated === 1,
    caseId: row.case_id,
  };
}

/** The inbox of the caller's jurisdiction (a city unit also sees its counties' inboxes): urgent first, then oldest. */
@QueryHandler(ListInbox)
export class ListInboxHandler implements IQueryHandler<ListInbox> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ query, actor }: ListInbox) {
    const coverage = coverageClause('jurisdiction', actor.jurisdiction);
    const where = [coverage.sql];
    const params: unknown[] = [coverage.param];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.priority) {
      where.push('priority = ?');
      params.push(query.priority);
    }
    const rows = this.readModels.db
      .prepare(`SELECT * FROM police_inbox WHERE ${where.join(' AND ')} ORDER BY priority_rank, received_position LIMIT ?`)
      .all(...params, query.limit) as InboxRow[];
    const now = this.clock.now();
    return { items: rows.map((row) => toInboxItem(row, now)) };
  }
}

/**
 * Read from the stream itself, so an officer sees their own command's effect at once; as it was,
 * `overdue` is judged at that point's instant.
 */
@QueryHandler(GetReferral)
export class GetReferralHandler implements IQueryHandler<GetReferral> {
  constructor(
    private readonly referrals: ReferralRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ referralId, actor, at }: GetReferral): Promise<ReferralDetail & AsOfFields> {
    const { state, referral, past } = await this.referrals.read(referralId, actor, at);
    return {
      ...referral,
      status: state.status === 'NONE' ? 'RECEIVED' : state.status,
      ...(state.receivedAt ? { receivedAt: state.receivedAt } : {}),
      acknowledgedAt: state.acknowledgedAt ?? null,
      late: state.late ?? null,
      overdue: isOverdue(state, past?.evaluatedAt ?? this.clock.now()),
      escalation: state.escalation ?? null,
      caseId: state.caseId ?? null,
      acceptedAs: state.acceptedAs ?? null,
      rejection: state.rejection ?? null,
      informationRequests: state.requests,
      ...(past && at ? asOfFields(at, past) : {}),
    };
  }
}
