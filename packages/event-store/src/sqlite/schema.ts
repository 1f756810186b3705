import type Database from 'better-sqlite3';

/** Version of the tables below; bumped by every migration. */
export const SCHEMA_VERSION = 1;

/**
 * Stored columns are written once and never rewritten: a later ledger hashes their bytes.
 * actor and payload hold JSON.stringify output (UTF-8, keys in the writer's order, lone
 * surrogates escaped); timestamps are `Date#toISOString()` (UTC, milliseconds, `Z`), so they
 * compare correctly as text.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS schema_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  occurred_at     TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  correlation_id  TEXT    NOT NULL,
  causation_id    TEXT    NOT NULL,
  actor           TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  UNIQUE (stream_id, stream_revision)
);
CREATE INDEX IF NOT EXISTS events_by_correlation ON events (correlation_id, position);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
CREATE TRIGGER IF NOT EXISTS events_are_immutable_u BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER IF NOT EXISTS events_are_immutable_d BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TABLE IF NOT EXISTS checkpoints (
  name     TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);
`;

/** Creates the tables (idempotent, safe when several processes open the file at once). */
export function migrate(db: Database.Database): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(DDL);
    const row = db.prepare(`SELECT value FROM schema_meta WHERE key = 'schema_version'`).get() as
      | { value: string }
      | undefined;
    if (!row) {
      const put = db.prepare('INSERT INTO schema_meta (key, value) VALUES (?, ?)');
      put.run('schema_version', String(SCHEMA_VERSION));
      put.run('serialization', 'actor,payload: JSON.stringify UTF-8; times: toISOString UTC');
    } else if (Number(row.value) > SCHEMA_VERSION) {
      throw new Error(`event store schema ${row.value} is newer than this code (${SCHEMA_VERSION})`);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
