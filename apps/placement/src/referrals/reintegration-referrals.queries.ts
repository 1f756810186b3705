import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { type Actor, type AgencyKind, type IncomingReintegrationReferral, type ListReintegrationReferralsQuery, type ReintegrationService } from '@atr/contracts';
import { READ_MODELS, ReadModels } from '@atr/platform';
import { coveredCodes } from '../placement/placement.view';

type List = { items: IncomingReintegrationReferral[] };

export class ListReintegrationReferrals extends Query<List> {
  constructor(
    readonly actor: Actor,
    readonly filter: ListReintegrationReferralsQuery,
  ) {
    super();
  }
}

interface Row {
  referral_id: string;
  placement_id: string;
  service: ReintegrationService;
  note: string | null;
  referred_at: string;
  from_party: string;
  to_agency_id: string | null;
  to_kind: AgencyKind;
  to_jurisdiction: string;
  person: string;
}

/** Referrals addressed to the caller's agency, or to the queue of its kind in its jurisdiction. */
@QueryHandler(ListReintegrationReferrals)
export class ListReintegrationReferralsHandler implements IQueryHandler<ListReintegrationReferrals, List> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ actor, filter }: ListReintegrationReferrals): Promise<List> {
    const rows = this.readModels.db
      .prepare(
        `SELECT * FROM placement_referrals
         WHERE (to_agency_id = @agency OR (to_agency_id IS NULL AND to_kind = @kind AND to_jurisdiction LIKE @codes))
           AND (@service IS NULL OR service = @service)
         ORDER BY referred_at DESC, referral_id LIMIT @limit`,
      )
      .all({ agency: actor.agencyId, kind: actor.agencyKind, codes: coveredCodes(actor.jurisdiction), service: filter.service ?? null, limit: filter.limit }) as Row[];
    return {
      items: rows.map((r) => ({
        referralId: r.referral_id,
        placementId: r.placement_id,
        service: r.service,
        note: r.note,
        referredAt: r.referred_at,
        from: JSON.parse(r.from_party),
        to: { agencyId: r.to_agency_id, agencyKind: r.to_kind, jurisdiction: r.to_jurisdiction },
        person: JSON.parse(r.person),
      })),
    };
  }
}
