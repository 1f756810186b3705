import type Database from 'better-sqlite3';
import {
  readEvent,
  ReferralAccepted,
  ReferralAcknowledged,
  ReferralEscalated,
  ReferralReceived,
  ReferralRejected,
  type StoredEvent,
} from '@atr/contracts';
import type { Projection } from '@atr/platform';

const PRIORITY_RANK = { URGENT: 0, HIGH: 1, NORMAL: 2 } as const;

/**
 * The police inbox: one row per referral, with its deadline as epoch milliseconds so that
 * "overdue" can be computed against the clock at query time (the projection itself has no clock).
 */
export const inboxProjection: Projection = {
  name: 'police_inbox',
  origin: { module: __filename, exportName: 'inboxProjection' },
  types: [ReferralReceived.type, ReferralAcknowledged.type, ReferralAccepted.type, ReferralRejected.type, ReferralEscalated.type],
  schema: [
    `CREATE TABLE IF NOT EXISTS police_inbox (
      referral_id TEXT PRIMARY KEY,
      clue_id TEXT NOT NULL,
      jurisdiction TEXT NOT NULL,
      to_agency_id TEXT,
      to_agency_kind TEXT NOT NULL,
      status TEXT NOT NULL,
      category TEXT NOT NULL,
      priority TEXT NOT NULL,
      priority_rank INTEGER NOT NULL,
      source TEXT NOT NULL,
      summary TEXT NOT NULL,
      received_at TEXT NOT NULL,
      received_position INTEGER NOT NULL,
      acknowledge_by TEXT NOT NULL,
      acknowledge_by_ms INTEGER NOT NULL,
      acknowledged_at TEXT,
      late INTEGER,
      escalated INTEGER NOT NULL DEFAULT 0,
      escalated_at TEXT,
      escalated_position INTEGER,
      overdue_minutes INTEGER,
      case_id TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS police_inbox_order ON police_inbox (priority_rank, received_position)',
    'CREATE INDEX IF NOT EXISTS police_inbox_due ON police_inbox (status, escalated, acknowledge_by_ms)',
  ],
  tables: { police_inbox: 'referral_id' },
  apply(db: Database.Database, event: StoredEvent): void {
    switch (event.type) {
      case ReferralReceived.type: {
        const p = readEvent(ReferralReceived, event).payload;
        db.prepare(
          `INSERT OR IGNORE INTO police_inbox (referral_id, clue_id, jurisdiction, to_agency_id, to_agency_kind, status, category, priority,
             priority_rank, source, summary, received_at, received_position, acknowledge_by, acknowledge_by_ms)
           VALUES (?, ?, ?, ?, ?, 'RECEIVED', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          p.referralId,
          p.clueId,
          p.handoff.to.jurisdiction,
          p.handoff.to.agencyId,
          p.handoff.to.agencyKind,
          p.category,
          p.priority,
          PRIORITY_RANK[p.priority],
          p.source,
          p.summary,
          event.occurredAt,
          event.globalPosition,
          p.acknowledgeBy,
          Date.parse(p.acknowledgeBy),
        );
        return;
      }
      case ReferralAcknowledged.type: {
        const p = readEvent(ReferralAcknowledged, event).payload;
        db.prepare(`UPDATE police_inbox SET status = 'ACKNOWLEDGED', acknowledged_at = ?, late = ? WHERE referral_id = ? AND status = 'RECEIVED'`).run(
          event.occurredAt,
          p.late ? 1 : 0,
          p.referralId,
        );
        return;
      }
      case ReferralAccepted.type: {
        const p = readEvent(ReferralAccepted, event).payload;
        db.prepare(`UPDATE police_inbox SET status = 'ACCEPTED', case_id = ? WHERE referral_id = ?`).run(p.caseId, p.referralId);
        return;
      }
      case ReferralRejected.type: {
        const p = readEvent(ReferralRejected, event).payload;
        db.prepare(`UPDATE police_inbox SET status = 'REJECTED' WHERE referral_id = ?`).run(p.referralId);
        return;
      }
      case ReferralEscalated.type: {
        const p = readEvent(ReferralEscalated, event).payload;
        db.prepare('UPDATE police_inbox SET escalated = 1, escalated_at = ?, escalated_position = ?, overdue_minutes = ? WHERE referral_id = ?').run(
          event.occurredAt,
          event.globalPosition,
          p.overdueMinutes,
          p.referralId,
        );
        return;
      }
    }
  },
};

/** A row of police_inbox as stored. */
export interface InboxRow {
  referral_id: string;
  clue_id: string;
  jurisdiction: string;
  to_agency_id: string | null;
  to_agency_kind: string;
  status: 'RECEIVED' | 'ACKNOWLEDGED' | 'ACCEPTED' | 'REJECTED';
  category: string;
  priority: 'URGENT' | 'HIGH' | 'NORMAL';
  source: string;
  summary: string;
  received_at: string;
  acknowledge_by: string;
  acknowledge_by_ms: number;
  acknowledged_at: string | null;
  late: number | null;
  escalated: number;
  escalated_at: string | null;
  overdue_minutes: number | null;
  case_id: string | null;
}
