// A worker thread of `audit verify --db`: reads a range of the store file itself and hashes each
// event as stored, so reading and hashing run on every core. Sends leaves back in chunks.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { leafHashOfRecord } from '@atr/ledger';

export interface HashWorkerData {
  file: string;
  /** Positions in (after, upTo]. */
  after: number;
  upTo: number;
  chunk: number;
}

/** `positions` and `hashes` (32 bytes a leaf) of consecutive leaves; `done` on the last one. */
export interface HashChunk {
  positions: Float64Array;
  hashes: Uint8Array;
  done: boolean;
}

const COLUMNS = 'position, event_id, stream_id, stream_revision, type, schema_version, occurred_at, recorded_at, correlation_id, causation_id, actor, payload';

function run({ file, after, upTo, chunk }: HashWorkerData): void {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`).raw().iterate(after, upTo) as IterableIterator<unknown[]>;
    let positions = new Float64Array(chunk);
    let hashes = new Uint8Array(chunk * 32);
    let n = 0;
    const flush = (done: boolean) => {
      const message: HashChunk = { positions: positions.subarray(0, n), hashes: hashes.subarray(0, n * 32), done };
      parentPort!.postMessage(message, [positions.buffer, hashes.buffer]);
      positions = new Float64Array(chunk);
      hashes = new Uint8Array(chunk * 32);
      n = 0;
    };
    for (const r of rows) {
      const leaf = leafHashOfRecord({
        globalPosition: r[0] as number,
        eventId: r[1] as string,
        streamId: r[2] as string,
        streamRevision: r[3] as number,
        type: r[4] as string,
        schemaVersion: r[5] as number,
        occurredAt: r[6] as string,
        recordedAt: r[7] as string,
        correlationId: r[8] as string,
        causationId: r[9] as string,
        actor: r[10] as string,
        payload: r[11] as string,
      });
      positions[n] = r[0] as number;
      hashes.set(leaf, n * 32);
      if (++n === chunk) flush(false);
    }
    flush(true);
  } finally {
    db.close();
  }
}

if (parentPort) run(workerData as HashWorkerData);
