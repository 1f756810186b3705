import Database from 'better-sqlite3';
import type { DeadLetter, DeadLetterStore } from '@atr/bus';

/** Dead letters of this process's consumer groups, kept on disk so a restart re-drives them. */
export class SqliteDeadLetterStore implements DeadLetterStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS dead_letters (
      consumer_group TEXT NOT NULL, event_id TEXT NOT NULL, event TEXT NOT NULL,
      error TEXT NOT NULL, attempts INTEGER NOT NULL, failed_at TEXT NOT NULL,
      PRIMARY KEY (consumer_group, event_id))`);
  }

  load(): DeadLetter[] {
    const rows = this.db.prepare('SELECT * FROM dead_letters ORDER BY failed_at').all() as Array<{
      consumer_group: string;
      event: string;
      error: string;
      attempts: number;
      failed_at: string;
    }>;
    return rows.map((r) => ({ group: r.consumer_group, event: JSON.parse(r.event), error: r.error, attempts: r.attempts, failedAt: r.failed_at }));
  }

  save(letter: DeadLetter): void {
    this.db
      .prepare(
        `INSERT INTO dead_letters VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (consumer_group, event_id) DO UPDATE SET error = excluded.error, attempts = excluded.attempts`,
      )
      .run(letter.group, letter.event.eventId, JSON.stringify(letter.event), letter.error, letter.attempts, letter.failedAt);
  }

  remove(letter: DeadLetter): void {
    this.db.prepare('DELETE FROM dead_letters WHERE consumer_group = ? AND event_id = ?').run(letter.group, letter.event.eventId);
  }

  close(): void {
    this.db.close();
  }
}
