// The WAL checkpoint thread of a commit thread (see ./wal-checkpointer): every few hundred
// milliseconds, a PASSIVE checkpoint copies what the WAL gained into the database file and
// syncs it. When the log has grown long, it tells the commit thread, which can start it over.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { lowerThreadIoPriority } from '../background-thread';
import type { WalCheckpointerData } from './wal-checkpointer';

const { path, busyTimeoutMs, everyMs, restartAboveFrames, io } = workerData as WalCheckpointerData;
// before the first round, which comes everyMs from now
if (io === 'idle') void lowerThreadIoPriority();
const db = new Database(path, { timeout: busyTimeoutMs });
const checkpoint = () => (db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0];
const timer = setInterval(() => {
  try {
    if (checkpoint().log < restartAboveFrames) return;
    // again at once: what the commits wrote meanwhile, so that little is left for the commit
    // thread, which holds up commits while it copies
    checkpoint();
    parentPort!.postMessage('long');
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
