import type Database from 'better-sqlite3';
import {
  CaseClosed,
  CaseListedForSupervision,
  CaseOpened,
  CaseSentForProsecution,
  CaseSolved,
  CaseTransferred,
  readEvent,
  TaskForceLeaderAssigned,
  TaskForceLeaderRemoved,
  type StoredEvent,
} from '@atr/contracts';
import type { Projection } from '@atr/platform';

/** Case list per jurisdiction and the supervision listings (挂牌督办). */
export const casesProjection: Projection = {
  name: 'police_cases',
  origin: { module: __filename, exportName: 'casesProjection' },
  types: [
    CaseOpened.type,
    TaskForceLeaderAssigned.type,
    TaskForceLeaderRemoved.type,
    CaseTransferred.type,
    CaseListedForSupervision.type,
    CaseSolved.type,
    CaseSentForProsecution.type,
    CaseClosed.type,
  ],
  schema: [
    `CREATE TABLE IF NOT EXISTS police_cases (
      case_id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      status TEXT NOT NULL,
      category TEXT NOT NULL,
      child_case INTEGER NOT NULL,
      jurisdiction TEXT NOT NULL,
      agency_id TEXT NOT NULL,
      leader_user_id TEXT,
      opened_at TEXT NOT NULL,
      opened_position INTEGER NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS police_cases_jurisdiction ON police_cases (jurisdiction, opened_position)',
    `CREATE TABLE IF NOT EXISTS police_case_supervision (
      case_id TEXT NOT NULL,
      level TEXT NOT NULL,
      note TEXT,
      listed_at TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (case_id, level)
    )`,
  ],
  tables: { police_cases: 'case_id', police_case_supervision: 'case_id, level' },
  apply(db: Database.Database, event: StoredEvent): void {
    const setStatus = (caseId: string, status: string) => db.prepare('UPDATE police_cases SET status = ? WHERE case_id = ?').run(status, caseId);
    switch (event.type) {
      case CaseOpened.type: {
        const p = readEvent(CaseOpened, event).payload;
        db.prepare(
          `INSERT OR IGNORE INTO police_cases (case_id, title, status, category, child_case, jurisdiction, agency_id, leader_user_id, opened_at, opened_position)
           VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?)`,
        ).run(p.caseId, p.title, p.category, p.childCase ? 1 : 0, p.jurisdiction, p.agencyId, p.taskForceLeader?.userId ?? null, event.occurredAt, event.globalPosition);
        return;
      }
      case TaskForceLeaderAssigned.type: {
        const p = readEvent(TaskForceLeaderAssigned, event).payload;
        db.prepare('UPDATE police_cases SET leader_user_id = ? WHERE case_id = ?').run(p.leader.userId, p.caseId);
        return;
      }
      case TaskForceLeaderRemoved.type:
        db.prepare('UPDATE police_cases SET leader_user_id = NULL WHERE case_id = ?').run(readEvent(TaskForceLeaderRemoved, event).payload.caseId);
        return;
      case CaseTransferred.type: {
        const { caseId, handoff } = readEvent(CaseTransferred, event).payload;
        db.prepare('UPDATE police_cases SET jurisdiction = ?, agency_id = COALESCE(?, agency_id) WHERE case_id = ?').run(handoff.to.jurisdiction, handoff.to.agencyId, caseId);
        return;
      }
      case CaseListedForSupervision.type: {
        const p = readEvent(CaseListedForSupervision, event).payload;
        db.prepare('INSERT OR IGNORE INTO police_case_supervision (case_id, level, note, listed_at, position) VALUES (?, ?, ?, ?, ?)').run(
          p.caseId,
          p.level,
          p.note ?? null,
          event.occurredAt,
          event.globalPosition,
        );
        return;
      }
      case CaseSolved.type:
        setStatus(readEvent(CaseSolved, event).payload.caseId, 'SOLVED');
        return;
      case CaseSentForProsecution.type:
        setStatus(readEvent(CaseSentForProsecution, event).payload.caseId, 'SENT_FOR_PROSECUTION');
        return;
      case CaseClosed.type:
        setStatus(readEvent(CaseClosed, event).payload.caseId, 'CLOSED');
        return;
    }
  },
};

export interface CaseRow {
  case_id: string;
  title: string;
  status: 'OPEN' | 'SOLVED' | 'SENT_FOR_PROSECUTION' | 'CLOSED';
  category: string;
  child_case: number;
  jurisdiction: string;
  agency_id: string;
  leader_user_id: string | null;
  opened_at: string;
  levels: string | null;
}
