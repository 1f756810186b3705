import type { Projection } from '../read-models/projection';

/** Projections for the read-model tests, in their own module so a replay worker thread can load them. */
export const solvedCount: Projection = {
  name: 'test_solved',
  origin: { module: __filename, exportName: 'solvedCount' },
  types: ['CaseSolved'],
  schema: ['CREATE TABLE IF NOT EXISTS test_solved (case_id TEXT PRIMARY KEY, times INTEGER NOT NULL)'],
  tables: { test_solved: 'case_id' },
  apply(db, event) {
    db.prepare('INSERT INTO test_solved VALUES (?, 1) ON CONFLICT(case_id) DO UPDATE SET times = times + 1').run(event.payload.caseId);
  },
};

export const closedCases: Projection = {
  name: 'test_closed',
  origin: { module: __filename, exportName: 'closedCases' },
  types: ['CaseClosed'],
  schema: ['CREATE TABLE IF NOT EXISTS test_closed (case_id TEXT PRIMARY KEY, reason TEXT NOT NULL, position INTEGER NOT NULL)'],
  tables: { test_closed: 'case_id' },
  apply(db, event) {
    db.prepare('INSERT OR REPLACE INTO test_closed VALUES (?, ?, ?)').run(event.payload.caseId, event.payload.reason, event.globalPosition);
  },
};
