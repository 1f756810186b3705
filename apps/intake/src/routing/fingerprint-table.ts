import type { ReadModels } from '@atr/platform';

type Db = ReadModels['db'];

export interface FingerprintMatch {
  clueId: string;
  matchedOn: string[];
}

/**
 * The referral router's memory of which clue carried which fingerprint in which routed
 * jurisdiction, with the global position of its ClueTriaged. Written only by the router,
 * before it decides (see ReferralRouter for why this is not a registered projection).
 */
export class FingerprintTable {
  constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS intake_fingerprints (
      fingerprint TEXT NOT NULL,
      jurisdiction TEXT NOT NULL,
      clue_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (fingerprint, jurisdiction, clue_id))`);
    db.exec('CREATE INDEX IF NOT EXISTS intake_fingerprints_by_position ON intake_fingerprints (position)');
    db.exec('CREATE INDEX IF NOT EXISTS intake_fingerprints_lookup ON intake_fingerprints (fingerprint, jurisdiction, position)');
    // how far the log was scanned for a rebuild, so a restart does not scan the same tail again
    db.exec('CREATE TABLE IF NOT EXISTS intake_fingerprints_scanned (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL)');
  }

  /** Idempotent: a redelivered clue inserts nothing new. */
  record(fingerprints: readonly string[], jurisdiction: string, clueId: string, position: number): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO intake_fingerprints (fingerprint, jurisdiction, clue_id, position) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => fingerprints.forEach((f) => insert.run(f, jurisdiction, clueId, position)))();
  }

  /**
   * The earliest other clue (lowest position, before this one) sharing a fingerprint in the same
   * jurisdiction. Only earlier positions count, so a redelivery decides exactly as the first time.
   */
  earliestMatch(fingerprints: readonly string[], jurisdiction: string, clueId: string, position: number): FingerprintMatch | undefined {
    // one index seek per fingerprint (the same child may have been reported thousands of times)
    const earliest = this.db.prepare(
      `SELECT clue_id, position FROM intake_fingerprints
       WHERE fingerprint = ? AND jurisdiction = ? AND position < ? AND clue_id <> ?
       ORDER BY position LIMIT 1`,
    );
    const hits = fingerprints
      .map((fingerprint) => ({ fingerprint, row: earliest.get(fingerprint, jurisdiction, position, clueId) as { clue_id: string; position: number } | undefined }))
      .filter((h): h is { fingerprint: string; row: { clue_id: string; position: number } } => !!h.row);
    if (hits.length === 0) return undefined;
    const first = hits.reduce((a, b) => (b.row.position < a.row.position ? b : a)).row.clue_id;
    return { clueId: first, matchedOn: hits.filter((h) => h.row.clue_id === first).map((h) => h.fingerprint).sort() };
  }

  /** Position up to which the table knows the log. */
  knownUpTo(): number {
    const row = this.db
      .prepare('SELECT MAX(p) AS p FROM (SELECT MAX(position) AS p FROM intake_fingerprints UNION ALL SELECT position FROM intake_fingerprints_scanned)')
      .get() as { p: number | null };
    return row.p ?? 0;
  }

  markScanned(position: number): void {
    this.db.prepare('INSERT INTO intake_fingerprints_scanned (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position').run(position);
  }
}
