import { Worker } from 'node:worker_threads';
import { workerEntry } from '../worker-entry';
import type { CommitThreadConfig } from './commit-messages';

/** How often the WAL is copied back into the database file. */
export const WAL_CHECKPOINT_EVERY_MS = 250;
/**
 * A log longer than this (1 GB of 4 KB pages) is started over by the commit thread. That holds
 * up commits (12 ms median, 68 ms at most at 1,000 submissions/s), and with a bound of 64 MB,
 * 19 of the 33 runs of slow answers in a minute at that rate began with a restart; at 1 GB it
 * still bounds the file under sustained load, and a 10 s burst does not reach it.
 */
export const WAL_RESTART_ABOVE_FRAMES = 262_144;

export interface WalCheckpointerData {
  path: string;
  busyTimeoutMs: number;
  everyMs: number;
  restartAboveFrames: number;
  io: 'idle' | 'normal';
}

/**
 * Starts the thread that checkpoints the WAL of the commit thread's file (see
 * ./wal-checkpoint-worker). PASSIVE checkpoints never block writers or readers, so commits go on
 * while the log is copied; the commit thread's connection does none itself, except the short
 * one `onLongLog` asks for.
 *
 * Why that one: SQLite writes the log from its beginning again only when a write transaction
 * starts while every frame of it is copied, and under a steady stream of commits one always
 * lands while this thread copies. The log then grew without end under load (1.5 GB in a
 * minute at 1,000 submissions/s). After this thread copied most of a long log, `onLongLog` is
 * called on the commit thread: a checkpoint there, between two commits, copies only what came
 * since, and the next commit then starts the log over.
 */
export function startWalCheckpointer(config: CommitThreadConfig, onLongLog: () => void): { stop(): Promise<void> } {
  const { file, execArgv } = workerEntry(__filename, 'wal-checkpoint-worker');
  const workerData: WalCheckpointerData = { path: config.path, busyTimeoutMs: config.busyTimeoutMs, everyMs: WAL_CHECKPOINT_EVERY_MS, restartAboveFrames: config.walRestartAboveFrames ?? WAL_RESTART_ABOVE_FRAMES, io: config.checkpointIo ?? 'normal' };
  const worker = new Worker(file, { workerData, ...(execArgv ? { execArgv } : {}) });
  worker.unref();
  worker.on('message', onLongLog);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => undefined); // a failed checkpoint thread leaves the WAL growing; the next open checkpoints it
  return {
    async stop() {
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
