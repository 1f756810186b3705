import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import type { EventStore } from '@atr/event-store';
import type { MessageBus } from '@atr/bus';
import type { StoredEvent } from '@atr/contracts';
import { compareTables, type TableComparison } from './compare';
import { allOrNothing, discard, replayInWorkers, type RebuiltPart } from './parallel-replay';
import { measureReplayCost } from './replay-cost';
import type { Projection } from './projection';
import { freshDatabase, POSITIONS_DDL, replayInto, withStatementCache, type ReplayTarget } from './replay';

export type { TableComparison } from './compare';

export interface ReplayReport {
  projection: string;
  position: number;
  eventsApplied: number;
  equal: boolean;
  tables: TableComparison[];
  /** Where it was rebuilt: 0 on the main thread, else the number of the worker thread. */
  thread: number;
}

/** Events of the log sampled to measure what each projection's replay costs. */
const SAMPLE = 2_000;

export interface ReadModelsOptions {
  /** Worker threads a replay may use (default: up to 2, one per core); 1 keeps it on the main thread. */
  replayWorkers?: number;
  /** Below this many events a replay stays on the main thread: starting threads costs more. */
  parallelReplayFrom?: number;
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
    private readonly options: ReadModelsOptions = {},
  ) {
    this.db = withStatementCache(new Database(path));
    this.db.pragma('journal_mode = WAL');
    // read models are rebuilt by replay; their position commits with their rows, so NORMAL is safe
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(POSITIONS_DDL);
  }

  register(projection: Projection): void {
    if (this.projections.has(projection.name)) throw new Error(`projection ${projection.name} is registered twice`);
    this.projections.set(projection.name, projection);
    for (const statement of projection.schema) this.db.exec(statement);
    const apply = this.applier(this.db, projection);
    this.bus.consume(
      { group: group(projection), types: projection.types, startAfter: () => this.position(projection.name), flush: () => this.commit() },
      async (event) => {
        if (this.broken) return; // the flush after this batch reports it: nothing is recorded as consumed
        this.begin();
        apply(event);
      },
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
   * Rebuilds every projection from position 0 into fresh tables, with bounded memory (the log is
   * read a page at a time), and compares them with the live tables at the same position. Large
   * logs are replayed on worker threads, each rebuilding some projections into a file of its own.
   */
  async verifyReplay(): Promise<ReplayReport[]> {
    const projections = this.list();
    for (const p of projections) await this.bus.pause(group(p));
    const parts: RebuiltPart[] = [];
    try {
      this.commit();
      const targets: ReplayTarget[] = projections.map((projection) => ({ projection, upTo: this.position(projection.name) }));
      parts.push(...(await this.rebuild(targets)));
      return targets.map(({ projection: p, upTo }) => {
        const part = parts.find((x) => x.applied.has(p.name))!;
        const thread = part.onWorker ? parts.filter((x) => x.onWorker).indexOf(part) + 1 : 0;
        const tables = Object.entries(p.tables).map(([table, orderBy]) => compareTables(this.db, part.db, table, orderBy));
        return { projection: p.name, position: upTo, eventsApplied: part.applied.get(p.name)!, equal: tables.every((c) => c.equal), tables, thread };
      });
    } finally {
      parts.forEach(discard);
      for (const p of projections) this.bus.resume(group(p));
    }
  }

  private async rebuild(targets: ReplayTarget[]): Promise<RebuiltPart[]> {
    const upTo = Math.max(0, ...targets.map((t) => t.upTo));
    const portable = targets.filter((t) => t.projection.origin);
    const workers = Math.min(this.options.replayWorkers ?? Math.min(2, availableParallelism()), portable.length);
    const spec = this.store.readerSpec?.();
    if (!spec || workers < 2 || upTo < (this.options.parallelReplayFrom ?? 50_000)) return [await this.rebuildHere(targets)];
    // projections that name no module cannot be loaded by a worker: this thread rebuilds them meanwhile
    const local = targets.filter((t) => !t.projection.origin);
    return allOrNothing(
      await Promise.allSettled([replayInWorkers(spec, portable, workers, await this.costEstimate(portable, upTo)), ...(local.length ? [this.rebuildHere(local)] : [])]),
    );
  }

  private async rebuildHere(targets: ReplayTarget[]): Promise<RebuiltPart> {
    const db = freshDatabase(targets.map((t) => t.projection));
    try {
      return { db, applied: await replayInto(db, this.store, targets), onWorker: false };
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** What each projection's replay costs, measured on the last events of the log (see measureReplayCost). */
  private async costEstimate(targets: ReplayTarget[], upTo: number): Promise<(target: ReplayTarget) => number> {
    const start = performance.now();
    const sample = await this.store.readAll({ after: Math.max(0, upTo - SAMPLE), upTo, limit: SAMPLE });
    const cost = measureReplayCost(sample, performance.now() - start, targets.map((t) => t.projection));
    return (t) => cost(t.projection);
  }

  close(): void {
    try {
      this.commit();
    } catch {
      // the failed commit was reported to the consumers; closing rolls back what is open
    }
    this.db.close();
  }

  /** A commit failed (disk full, I/O error): the events since the last commit are lost here. */
  private broken?: unknown;

  /**
   * Live events are applied inside one open transaction, committed when the bus has delivered a
   * batch (before it records the batch as consumed) or at the next turn of the event loop,
   * whichever comes first: one commit per slice of events instead of one per event. Each event
   * is still all-or-nothing (a savepoint with its position), and queries on this connection see
   * every applied event.
   */
  private begin(): void {
    if (this.db.inTransaction) return;
    this.db.exec('BEGIN');
    setImmediate(() => {
      try {
        this.commit();
      } catch {
        // kept in `broken`: the next flush throws it to the bus
      }
    });
  }

  /**
   * Commits the open transaction of live events, if any. After a failed commit it throws for good:
   * the open transaction may hold events of several consumer groups, and none of them may record
   * its batch as consumed; after a restart each read model resumes from its own position.
   */
  commit(): void {
    if (this.broken) throw this.broken;
    if (!this.db.open || !this.db.inTransaction) return;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.broken = error;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
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

export const READ_MODELS = Symbol('READ_MODELS');
