import type Database from 'better-sqlite3';
import type { StoredEvent } from '@atr/contracts';

/**
 * A read model kept in SQLite tables. `apply` runs inside a transaction together with the
 * projection's position, so each event takes effect exactly once, whatever is redelivered.
 * A projection must be a pure function of the events (no clock, no random): a replay from
 * position 0 into fresh tables must produce the same rows.
 */
export interface Projection {
  /** Unique name; also prefixes its tables by convention (e.g. `police_inbox`). */
  name: string;
  /** Event types it reads. */
  types: readonly string[];
  /** CREATE TABLE / CREATE INDEX statements (use IF NOT EXISTS). */
  schema: readonly string[];
  /** Tables compared by the replay check, each with the ORDER BY that makes the dump stable. */
  tables: Readonly<Record<string, string>>;
  apply(db: Database.Database, event: StoredEvent): void;
  /**
   * Where this object is exported from, so a replay worker thread can load the same projection
   * (functions cannot cross threads). Without it, replays of this projection stay on the main thread.
   */
  origin?: ProjectionOrigin;
}

/** A module file (`__filename` of the projection's file) and the name it exports the projection under. */
export interface ProjectionOrigin {
  module: string;
  exportName: string;
}

export const PROJECTIONS = Symbol('PROJECTIONS');
