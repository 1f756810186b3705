import { ReintegrationReferred, readEvent } from '@atr/contracts';
import type { Projection } from '@atr/platform';

/** Referrals by receiving agency, so a school bureau, HR office or legal aid centre sees its own. */
export const reintegrationReferralsProjection: Projection = {
  name: 'placement_referrals',
  origin: { module: __filename, exportName: 'reintegrationReferralsProjection' },
  types: [ReintegrationReferred.type],
  schema: [
    `CREATE TABLE IF NOT EXISTS placement_referrals (
      referral_id TEXT PRIMARY KEY,
      placement_id TEXT NOT NULL,
      service TEXT NOT NULL,
      note TEXT,
      referred_at TEXT NOT NULL,
      from_party TEXT NOT NULL,
      to_agency_id TEXT,
      to_kind TEXT NOT NULL,
      to_jurisdiction TEXT NOT NULL,
      person TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS placement_referrals_by_agency ON placement_referrals (to_agency_id, referred_at)',
    'CREATE INDEX IF NOT EXISTS placement_referrals_by_queue ON placement_referrals (to_kind, to_jurisdiction)',
  ],
  tables: { placement_referrals: 'referral_id' },
  apply(db, event) {
    const { payload: p } = readEvent(ReintegrationReferred, event);
    db.prepare(
      `INSERT OR IGNORE INTO placement_referrals VALUES (@id, @placementId, @service, @note, @at, @from, @toAgency, @toKind, @toJurisdiction, @person)`,
    ).run({
      id: event.eventId,
      placementId: p.placementId,
      service: p.service,
      note: p.note ?? null,
      at: event.occurredAt,
      from: JSON.stringify(p.handoff.from),
      toAgency: p.handoff.to.agencyId,
      toKind: p.handoff.to.agencyKind,
      toJurisdiction: p.handoff.to.jurisdiction,
      person: JSON.stringify(p.person),
    });
  },
};
