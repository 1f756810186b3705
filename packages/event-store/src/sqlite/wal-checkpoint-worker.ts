// The WAL checkpoint thread of a commit thread (see ./wal-checkpointer): every few hundred
// milliseconds, a PASSIVE checkpoint copies what the WAL gained into the database file and
// syncs it; the next commit then starts the WAL over from its beginning.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, busyTimeoutMs, everyMs } = workerData as { path: string; busyTimeoutMs: number; everyMs: number };
const db = new Database(path, { timeout: busyTimeoutMs });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or I/O trouble: the next round tries again
  }
}, everyMs);

parentPort!.on('message', () => {
  clearInterval(timer);
  try {
    db.pragma('wal_checkpoint(PASSIVE)'); // what the last commits wrote, before the store closes
  } finally {
    db.close();
    parentPort!.close();
  }
});
