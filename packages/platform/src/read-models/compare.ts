import type Database from 'better-sqlite3';

export interface TableComparison {
  table: string;
  liveRows: number;
  replayRows: number;
  equal: boolean;
  /** The first row that differs, as JSON, when not equal. */
  firstDifference?: { index: number; live: unknown; replay: unknown };
}

/** Walks both tables in the same order, row by row: memory stays flat however large they are. */
export function compareTables(live: Database.Database, replay: Database.Database, table: string, orderBy: string): TableComparison {
  const sql = `SELECT * FROM ${table} ORDER BY ${orderBy}`;
  const count = (db: Database.Database) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const result: TableComparison = { table, liveRows: count(live), replayRows: count(replay), equal: true };
  const a = live.prepare(sql).raw().iterate() as IterableIterator<unknown[]>;
  const b = replay.prepare(sql).raw().iterate() as IterableIterator<unknown[]>;
  const columns = live.prepare(sql).columns().map((c) => c.name);
  const asRow = (values: unknown[] | undefined) => (values ? Object.fromEntries(columns.map((c, i) => [c, values[i]])) : null);
  try {
    for (let index = 0; ; index++) {
      const x = a.next();
      const y = b.next();
      if (x.done && y.done) return result;
      if (x.done || y.done || !sameRow(x.value, y.value)) {
        return { ...result, equal: false, firstDifference: { index, live: asRow(x.done ? undefined : x.value), replay: asRow(y.done ? undefined : y.value) } };
      }
    }
  } finally {
    a.return?.();
    b.return?.();
    // statements are cached per connection: leave them as others expect them
    live.prepare(sql).raw(false);
    replay.prepare(sql).raw(false);
  }
}

function sameRow(x: unknown[], y: unknown[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (u === v) continue;
    if (Buffer.isBuffer(u) && Buffer.isBuffer(v) && u.equals(v)) continue;
    return false;
  }
  return true;
}
