import {
  AdditionalInformationProvided,
  ClueLinkedAsDuplicate,
  ClueOutcomeRecorded,
  ClueReferred,
  ClueSubmitted,
  ClueTriaged,
  readEvent,
} from '@atr/contracts';
import type { Projection } from '@atr/platform';
import { addMinutes, progressRank, type Progress } from './clue.state';

type Db = Parameters<Projection['apply']>[0];

/**
 * `intake_clues`: each agency's own clues for GET /clues, newest first. A pure function of the
 * clue events (times come from the events, never from a clock), so a replay gives the same rows.
 */
export const cluesProjection: Projection = {
  name: 'intake_clues',
  origin: { module: __filename, exportName: 'cluesProjection' },
  types: [ClueSubmitted, ClueTriaged, ClueReferred, ClueLinkedAsDuplicate, ClueOutcomeRecorded, AdditionalInformationProvided].map((d) => d.type),
  schema: [
    `CREATE TABLE IF NOT EXISTS intake_clues (
       clue_id TEXT PRIMARY KEY,
       agency_id TEXT NOT NULL,
       position INTEGER NOT NULL,
       source TEXT NOT NULL,
       summary TEXT NOT NULL,
       division_code TEXT NOT NULL,
       submitted_at TEXT NOT NULL,
       category TEXT,
       priority TEXT,
       acknowledge_by TEXT,
       referral_id TEXT,
       duplicate_of TEXT,
       progress TEXT NOT NULL,
       status TEXT NOT NULL)`,
    'CREATE INDEX IF NOT EXISTS intake_clues_by_agency ON intake_clues (agency_id, position)',
    `CREATE TABLE IF NOT EXISTS intake_clue_questions (
       clue_id TEXT NOT NULL,
       request_id TEXT NOT NULL,
       answered INTEGER NOT NULL,
       PRIMARY KEY (clue_id, request_id))`,
  ],
  tables: { intake_clues: 'clue_id', intake_clue_questions: 'clue_id, request_id' },
  apply(db, stored) {
    switch (stored.type) {
      case ClueSubmitted.type: {
        const { payload: p } = readEvent(ClueSubmitted, stored); // v1 events are upcast here
        db.prepare(
          `INSERT OR IGNORE INTO intake_clues (clue_id, agency_id, position, source, summary, division_code, submitted_at, progress, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'RECEIVED', 'RECEIVED')`,
        ).run(p.clueId, p.submittedBy.agencyId, stored.globalPosition, p.source, p.summary, p.location.divisionCode, stored.occurredAt);
        return;
      }
      case ClueTriaged.type: {
        const { payload: p } = readEvent(ClueTriaged, stored);
        const row = db.prepare('SELECT submitted_at FROM intake_clues WHERE clue_id = ?').get(p.clueId) as { submitted_at: string } | undefined;
        if (!row) return;
        db.prepare('UPDATE intake_clues SET category = ?, priority = ?, acknowledge_by = ? WHERE clue_id = ?').run(
          p.category,
          p.priority,
          addMinutes(row.submitted_at, p.acknowledgeWithinMinutes),
          p.clueId,
        );
        return;
      }
      case ClueReferred.type: {
        const { payload: p } = readEvent(ClueReferred, stored);
        db.prepare('UPDATE intake_clues SET referral_id = ? WHERE clue_id = ?').run(p.referralId, p.clueId);
        return progress(db, p.clueId, 'REFERRED');
      }
      case ClueLinkedAsDuplicate.type: {
        const { payload: p } = readEvent(ClueLinkedAsDuplicate, stored);
        db.prepare('UPDATE intake_clues SET duplicate_of = ?, referral_id = ? WHERE clue_id = ?').run(p.duplicateOf, p.referralId, p.clueId);
        return progress(db, p.clueId, 'DUPLICATE');
      }
      case ClueOutcomeRecorded.type: {
        const { payload: p } = readEvent(ClueOutcomeRecorded, stored);
        if (p.outcome !== 'INFORMATION_REQUESTED') return progress(db, p.clueId, p.outcome);
        if (!p.requestId) return;
        db.prepare('INSERT OR IGNORE INTO intake_clue_questions (clue_id, request_id, answered) VALUES (?, ?, 0)').run(p.clueId, p.requestId);
        return refreshStatus(db, p.clueId);
      }
      case AdditionalInformationProvided.type: {
        const { payload: p } = readEvent(AdditionalInformationProvided, stored);
        db.prepare('UPDATE intake_clue_questions SET answered = 1 WHERE clue_id = ? AND request_id = ?').run(p.clueId, p.requestId);
        return refreshStatus(db, p.clueId);
      }
    }
  },
};

/** progressRank as SQL, so the step forward is one statement (replay applies it a million times). */
const RANK_OF_PROGRESS = `CASE progress ${Object.entries(progressRank).map(([p, r]) => `WHEN '${p}' THEN ${r}`).join(' ')} END`;

/** Moves the progress forward (never back, like `advance`) and refreshes the status in one UPDATE. */
function progress(db: Db, clueId: string, to: Progress): void {
  const rank = progressRank[to];
  db.prepare(
    `UPDATE intake_clues SET
       progress = CASE WHEN ? >= ${RANK_OF_PROGRESS} THEN ? ELSE progress END,
       status = CASE
         WHEN EXISTS (SELECT 1 FROM intake_clue_questions q WHERE q.clue_id = intake_clues.clue_id AND q.answered = 0) THEN 'INFORMATION_REQUESTED'
         WHEN ? >= ${RANK_OF_PROGRESS} THEN ? ELSE progress END
     WHERE clue_id = ?`,
  ).run(rank, to, rank, to, clueId);
}

/** Same rule as the stream fold: an open police question shows first. */
function refreshStatus(db: Db, clueId: string): void {
  db.prepare(
    `UPDATE intake_clues SET status = CASE
       WHEN EXISTS (SELECT 1 FROM intake_clue_questions q WHERE q.clue_id = intake_clues.clue_id AND q.answered = 0)
       THEN 'INFORMATION_REQUESTED' ELSE progress END
     WHERE clue_id = ?`,
  ).run(clueId);
}

