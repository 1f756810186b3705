import { Worker } from 'node:worker_threads';
import { workerEntry } from '@atr/event-store';
import type { HashChunk, HashWorkerData } from './hash-worker';

/**
 * Leaf hashes of positions (0, head] of a SQLite store file, computed by `workers` threads on
 * contiguous ranges and handed over in log order. A later range's chunks wait in memory while
 * an earlier one finishes (40 bytes a leaf at most).
 */
export async function* hashStoreFile(file: string, head: number, workers: number, chunk = 8192): AsyncGenerator<HashChunk> {
  const { file: entry, execArgv } = workerEntry(__filename, 'hash-worker');
  const per = Math.ceil(head / workers);
  const ranges = Array.from({ length: workers }, (_, i) => ({ after: i * per, upTo: Math.min(head, (i + 1) * per) })).filter((r) => r.after < r.upTo);
  const lanes = ranges.map((range) => {
    const queue: HashChunk[] = [];
    let wake: (() => void) | undefined;
    let failure: Error | undefined;
    let finished = false;
    const data: HashWorkerData = { file, ...range, chunk };
    const worker = new Worker(entry, { workerData: data, ...(execArgv ? { execArgv } : {}) });
    worker.on('message', (message: HashChunk) => {
      queue.push(message);
      if (message.done) finished = true;
      wake?.();
    });
    worker.on('error', (error) => {
      failure = error;
      wake?.();
    });
    worker.on('exit', (code) => {
      if (!finished && !failure) failure = new Error(`hash worker exited with code ${code}`);
      wake?.();
    });
    return {
      worker,
      async next(): Promise<HashChunk | undefined> {
        for (;;) {
          if (queue.length) return queue.shift();
          if (failure) throw failure;
          if (finished) return undefined;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
    };
  });
  try {
    for (const lane of lanes) {
      for (let c = await lane.next(); c; c = await lane.next()) {
        yield c;
        if (c.done) break;
      }
    }
  } finally {
    await Promise.all(lanes.map((l) => l.worker.terminate()));
  }
}
