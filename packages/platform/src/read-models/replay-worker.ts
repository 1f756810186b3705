// Entry of a replay worker thread: rebuilds some projections into a database file of its own
// from its own read-only reader of the store; the main thread compares that file with the live tables.
import { parentPort, workerData } from 'node:worker_threads';
import { validateCurrentVersionsOnRead } from '@atr/contracts';
import { openStoreReader, type StoreReaderSpec } from '@atr/event-store';
import type { Projection, ProjectionOrigin } from './projection';
import { freshDatabase, replayInto } from './replay';

export interface ReplayWorkerData {
  store: StoreReaderSpec;
  /** The database file to rebuild into (new, this worker's alone). */
  file: string;
  targets: { origin: ProjectionOrigin; upTo: number }[];
}

export interface ReplayWorkerResult {
  applied: [string, number][];
}

function load(origin: ProjectionOrigin): Projection {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(origin.module)[origin.exportName] as Projection | undefined;
  if (!exported || typeof exported.apply !== 'function') throw new Error(`${origin.module} exports no projection named ${origin.exportName}`);
  return exported;
}

async function run({ store: spec, file, targets }: ReplayWorkerData): Promise<void> {
  // the log was validated as it was appended; the audit replay re-reads it with full validation
  validateCurrentVersionsOnRead(false);
  const loaded = targets.map(({ origin, upTo }) => ({ projection: load(origin), upTo }));
  const store = openStoreReader(spec);
  try {
    const fresh = freshDatabase(loaded.map((t) => t.projection), file);
    const applied = await replayInto(fresh, store, loaded);
    fresh.close();
    const result: ReplayWorkerResult = { applied: [...applied] };
    parentPort!.postMessage(result);
  } finally {
    await store.close();
  }
}

if (parentPort) {
  run(workerData as ReplayWorkerData).catch((error) => {
    // an uncaught error ends the thread with an 'error' event carrying it to the main thread
    setImmediate(() => {
      throw error;
    });
  });
}
