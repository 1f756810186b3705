import Database from 'better-sqlite3';
import { readAllInBatches, type EventStore } from '@atr/event-store';
import type { MessageBus } from '@atr/bus';
import type { StoredEvent } from '@atr/contracts';
import type { Projection } from './projection';

export interface TableComparison {
  table: string;
  liveRows: number;
  replayRows: number;
  equal: boolean;
  /** The first row that differs, as JSON, when not equal. */
  firstDifference?: { index: number; live: unknown; replay: unknown };
}

export interface ReplayReport {
  projection: string;
  position: number;
  eventsApplied: number;
  equal: boolean;
  tables: TableComparison[];
}

const group = (p: Projection) => `read-model:${p.name}`;

/** The read models of one process: one SQLite file, fed by the bus, checked by replay. */
export class ReadModels {
  readonly db: Database.Database;
  private readonly projections = new Map<string, Projection>();

  constructor(
    path: string,
    private readonly store: EventStore,
    private readonly bus: MessageBus,
  ) {
    this.db = withStatementCache(new Database(path));
    this.db.pragma('journal_mode = WAL');
    // read models are rebuilt by replay; their position commits with their rows, so NORMAL is safe
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS projection_positions (name TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  }

  register(projection: Projection): void {
    if (this.projections.has(projection.name)) throw new Error(`projection ${projection.name} is registered twice`);
    this.projections.set(projection.name, projection);
    for (const statement of projection.schema) this.db.exec(statement);
    const apply = this.applier(this.db, projection);
    this.bus.consume(
      { group: group(projection), types: projection.types, startAfter: () => this.position(projection.name) },
      async (event) => void apply(event),
    );
  }

  list(): Projection[] {
    return [...this.projections.values()];
  }

  position(name: string, db: Database.Database = this.db): number {
    const row = db.prepare('SELECT position FROM projection_positions WHERE name = ?').get(name) as { position: number } | undefined;
    return row?.position ?? 0;
  }

  /**
   * Rebuilds every projection from position 0 into fresh in-memory tables, one pass over the
   * log with bounded memory, and compares them with the live tables at the same position.
   */
  async verifyReplay(): Promise<ReplayReport[]> {
    const projections = this.list();
    for (const p of projections) await this.bus.pause(group(p));
    try {
      const fresh = withStatementCache(new Database(':memory:'));
      fresh.exec('CREATE TABLE projection_positions (name TEXT PRIMARY KEY, position INTEGER NOT NULL)');
      const targets = projections.map((p) => {
        for (const statement of p.schema) fresh.exec(statement);
        return { p, upTo: this.position(p.name), types: new Set(p.types), applied: 0 };
      });
      const upTo = Math.max(0, ...targets.map((t) => t.upTo));
      // The fresh tables see the log once, in order: no per-event position bookkeeping needed.
      const types = [...new Set(projections.flatMap((p) => p.types))];
      for await (const batch of readAllInBatches(this.store, { after: 0, upTo, types, batchSize: 2000 })) {
        fresh.transaction(() => {
          for (const event of batch) {
            for (const t of targets) {
              if (event.globalPosition <= t.upTo && t.types.has(event.type)) {
                t.p.apply(fresh, event);
                t.applied++;
              }
            }
          }
        })();
      }
      const reports = targets.map((t) => {
        const tables = Object.entries(t.p.tables).map(([table, orderBy]) => compare(this.db, fresh, table, orderBy));
        return { projection: t.p.name, position: t.upTo, eventsApplied: t.applied, equal: tables.every((c) => c.equal), tables };
      });
      fresh.close();
      return reports;
    } finally {
      for (const p of projections) this.bus.resume(group(p));
    }
  }

  close(): void {
    this.db.close();
  }

  private applier(db: Database.Database, projection: Projection) {
    const upsert = db.prepare(
      'INSERT INTO projection_positions (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position',
    );
    const select = db.prepare('SELECT position FROM projection_positions WHERE name = ?');
    const step = (event: StoredEvent) => {
      const row = select.get(projection.name) as { position: number } | undefined;
      if (row && row.position >= event.globalPosition) return; // applied before a crash or redelivery
      projection.apply(db, event);
      upsert.run(projection.name, event.globalPosition);
    };
    return db.transaction(step);
  }
}

/** Walks both tables in the same order, row by row: memory stays flat however large they are. */
function compare(live: Database.Database, replay: Database.Database, table: string, orderBy: string): TableComparison {
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

export const READ_MODELS = Symbol('READ_MODELS');

/**
 * Projections call `db.prepare(sql)` per event; compiling the same SQL thousands of times a
 * second dominated replay. The cache hands back the compiled statement for the same text.
 */
function withStatementCache(db: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as Database.Database['prepare'];
  return db;
}
