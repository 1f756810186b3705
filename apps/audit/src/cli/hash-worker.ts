// A worker thread of `audit verify --db`: reads a range of the store file itself and hashes each
// event as stored, so reading and hashing run on every core. Sends leaves back in chunks.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { EVENT_COLUMNS, rawRowToRecord, type RawEventRow } from '@atr/event-store';
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

function run({ file, after, upTo, chunk }: HashWorkerData): void {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`).raw().iterate(after, upTo) as IterableIterator<RawEventRow>;
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
      const leaf = leafHashOfRecord(rawRowToRecord(r));
      positions[n] = r[0];
      hashes.set(leaf, n * 32);
      if (++n === chunk) flush(false);
    }
    flush(true);
  } finally {
    db.close();
  }
}

if (parentPort) run(workerData as HashWorkerData);
