import { Worker } from 'node:worker_threads';
import { workerEntry } from '../worker-entry';
import type { CommitThreadConfig } from './commit-messages';

/** How often the WAL is copied back into the database file. */
export const WAL_CHECKPOINT_EVERY_MS = 250;

/**
 * Starts the thread that checkpoints the WAL of the commit thread's file (see
 * ./wal-checkpoint-worker). PASSIVE checkpoints never block writers or readers, so commits go on
 * while the log is copied; the commit thread's connection does none itself.
 */
export function startWalCheckpointer(config: CommitThreadConfig): { stop(): Promise<void> } {
  const { file, execArgv } = workerEntry(__filename, 'wal-checkpoint-worker');
  const worker = new Worker(file, { workerData: { path: config.path, busyTimeoutMs: config.busyTimeoutMs, everyMs: WAL_CHECKPOINT_EVERY_MS }, ...(execArgv ? { execArgv } : {}) });
  worker.unref();
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
