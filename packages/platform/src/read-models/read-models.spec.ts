import { mkdtempSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InProcessBus, type ConsumeOptions, type EventHandler } from '@atr/bus';
import { newId, type NewEvent, type StoredEvent } from '@atr/contracts';
import { SqliteEventStore } from '@atr/event-store';
import { closedCases, solvedCount } from '../testing/replay-projections';
import { ReadModels, type ReadModelsOptions } from './read-models';

const actor = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'u', role: 'OFFICER' } as const;
const event = (type: string, caseId: string, payload: Record<string, unknown>): NewEvent => ({
  eventId: newId(), type, schemaVersion: 1, occurredAt: new Date().toISOString(), actor,
  correlationId: caseId, causationId: caseId, payload: { caseId, ...payload },
});
const solved = (caseId: string) => event('CaseSolved', caseId, { summary: '破案' });
const closed = (caseId: string) => event('CaseClosed', caseId, { reason: '已破案' });

/** The same statements on another table. */
function withTable(db: Database.Database, table: string): Database.Database {
  return { prepare: (sql: string) => db.prepare(sql.replace(/test_solved/g, table)) } as unknown as Database.Database;
}

function setup(options?: ReadModelsOptions) {
  const dir = mkdtempSync(path.join(tmpdir(), 'read-models-'));
  const store = SqliteEventStore.open({ path: path.join(dir, 'events.db') });
  const bus = new InProcessBus({ store, checkpoints: store });
  const models = new ReadModels(path.join(dir, 'read.db'), store, bus, options);
  return {
    store,
    bus,
    models,
    close: async () => {
      await bus.stop();
      models.close();
      await store.close();
    },
  };
}

describe('ReadModels', () => {
  const { store, bus, models, close } = setup();
  models.register(solvedCount);
  afterAll(close);

  it('applies each event once even when the bus redelivers', async () => {
    await store.append('case-a', [solved('a'), solved('a')], 'no_stream');
    await store.append('case-b', [solved('b')], 'no_stream');
    await bus.start();
    await bus.settled();
    // simulate a crash that lost the bus checkpoint: everything is delivered again
    await bus.stop();
    await store.save('read-model:test_solved', 0);
    await bus.start();
    await bus.settled();
    expect(models.db.prepare('SELECT * FROM test_solved ORDER BY case_id').all()).toEqual([
      { case_id: 'a', times: 2 },
      { case_id: 'b', times: 1 },
    ]);
  });

  it('replays from position 0 into fresh tables and finds them equal, then finds a tampered row', async () => {
    const ok = await models.verifyReplay();
    expect(ok).toEqual([expect.objectContaining({ projection: 'test_solved', equal: true, eventsApplied: 3, thread: 0 })]);
    models.db.prepare("UPDATE test_solved SET times = 7 WHERE case_id = 'b'").run();
    const [report] = await models.verifyReplay();
    expect(report.equal).toBe(false);
    expect(report.tables[0]).toMatchObject({ table: 'test_solved', equal: false, firstDifference: { index: 1, live: { case_id: 'b', times: 7 }, replay: { case_id: 'b', times: 1 } } });
  });
});

/** Read models on a bus that only records what was registered: the test plays the bus. */
function withRecordingBus() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'read-models-')), 'read.db');
  const registered: { options: ConsumeOptions; handler: EventHandler }[] = [];
  const bus = { consume: (options: ConsumeOptions, handler: EventHandler) => void registered.push({ options, handler }) } as unknown as InProcessBus;
  return { file, registered, models: new ReadModels(file, {} as SqliteEventStore, bus) };
}

describe('ReadModels live commits', () => {
  it('applies live events in an open transaction and commits it when the bus flushes a batch', () => {
    const { file, registered, models } = withRecordingBus();
    models.register(solvedCount);
    const [{ options, handler }] = registered;
    const other = new Database(file, { readonly: true });
    const committed = () => other.prepare("SELECT position FROM projection_positions WHERE name = 'test_solved'").pluck().get();
    try {
      void handler({ ...solved('x'), globalPosition: 7 } as unknown as StoredEvent);
      // this connection sees it at once; no other does until the commit
      expect(models.position('test_solved')).toBe(7);
      expect(committed()).toBeUndefined();
      void options.flush?.();
      expect(committed()).toBe(7);
      expect(other.prepare("SELECT times FROM test_solved WHERE case_id = 'x'").pluck().get()).toBe(1);
    } finally {
      other.close();
      models.close();
    }
  });
});

describe('ReadModels after a failed commit', () => {
  it('rolls back, and no consumer group may record its batch as consumed any more', () => {
    const { file, registered, models } = withRecordingBus();
    // a COMMIT that fails: a deferred foreign key is checked only then
    models.db.pragma('foreign_keys = ON');
    models.register(solvedCount);
    models.register({
      name: 'test_orphans',
      types: ['CaseClosed'],
      schema: [
        'CREATE TABLE IF NOT EXISTS test_parents (id TEXT PRIMARY KEY)',
        'CREATE TABLE IF NOT EXISTS test_orphans (id TEXT PRIMARY KEY, parent TEXT REFERENCES test_parents (id) DEFERRABLE INITIALLY DEFERRED)',
      ],
      tables: { test_orphans: 'id' },
      apply: (db, e) => void db.prepare('INSERT INTO test_orphans VALUES (?, ?)').run(e.payload.caseId, 'nobody'),
    });
    const [solvedGroup, orphanGroup] = registered;
    const other = new Database(file, { readonly: true });
    const committed = () => other.prepare('SELECT count(*) FROM projection_positions').pluck().get();
    try {
      void solvedGroup.handler({ ...solved('y'), globalPosition: 3 } as unknown as StoredEvent);
      void orphanGroup.handler({ ...closed('y'), globalPosition: 4 } as unknown as StoredEvent);
      expect(() => orphanGroup.options.flush?.()).toThrow(/FOREIGN KEY/);
      // both groups' events are gone, so neither may move its checkpoint past them
      expect(models.position('test_solved')).toBe(0);
      expect(() => solvedGroup.options.flush?.()).toThrow(/FOREIGN KEY/);
      void solvedGroup.handler({ ...solved('z'), globalPosition: 5 } as unknown as StoredEvent);
      expect(models.position('test_solved')).toBe(0);
      expect(committed()).toBe(0);
    } finally {
      other.close();
      models.close();
    }
  });
});

describe('ReadModels replay on worker threads', () => {
  const { store, bus, models, close } = setup({ replayWorkers: 2, parallelReplayFrom: 0 });
  models.register(solvedCount);
  models.register(closedCases);
  // no origin: a worker cannot load it, so the main thread rebuilds it meanwhile
  models.register({ ...solvedCount, name: 'test_solved_here', origin: undefined, schema: [solvedCount.schema[0].replace(/test_solved/g, 'test_solved_here')], tables: { test_solved_here: 'case_id' }, apply: (db, e) => solvedCount.apply(withTable(db, 'test_solved_here'), e) });
  afterAll(close);

  it('splits the projections over threads, each rebuilding its own, and compares them with the live tables', async () => {
    for (let i = 0; i < 30; i++) await store.append(`case-${i}`, [solved(`c${i}`), ...(i % 3 === 0 ? [closed(`c${i}`)] : [])], 'no_stream');
    await bus.start();
    await bus.settled();
    const reports = await models.verifyReplay();
    expect(reports).toEqual([
      expect.objectContaining({ projection: 'test_solved', equal: true, eventsApplied: 30 }),
      expect.objectContaining({ projection: 'test_closed', equal: true, eventsApplied: 10 }),
      expect.objectContaining({ projection: 'test_solved_here', equal: true, eventsApplied: 30, thread: 0 }),
    ]);
    expect(reports.slice(0, 2).map((r) => r.thread).sort()).toEqual([1, 2]);
    models.db.prepare("UPDATE test_closed SET reason = '伪造' WHERE case_id = 'c3'").run();
    const [, tampered] = await models.verifyReplay();
    expect(tampered).toMatchObject({ equal: false, tables: [{ firstDifference: { live: { case_id: 'c3', reason: '伪造' }, replay: { case_id: 'c3', reason: '已破案' } } }] });
  });

  it('rebuilds only up to the position the live tables had reached', async () => {
    await bus.pause('read-model:test_closed');
    await store.append('case-late', [closed('late')], 'no_stream');
    await bus.settled();
    const reports = await models.verifyReplay();
    const closedReport = reports.find((r) => r.projection === 'test_closed')!;
    expect(closedReport.tables[0].replayRows).toBe(closedReport.tables[0].liveRows);
    expect(closedReport.eventsApplied).toBe(10);
    bus.resume('read-model:test_closed');
  });
});

describe('ReadModels replay when a worker fails', () => {
  const { store, bus, models, close } = setup({ replayWorkers: 2, parallelReplayFrom: 0 });
  models.register(solvedCount);
  // names a module export that does not exist: its worker cannot load it
  models.register({ ...closedCases, origin: { module: closedCases.origin!.module, exportName: 'noSuchProjection' } });
  afterAll(close);

  it('fails the replay with the reason, leaves no rebuilt files behind, and resumes the consumers', async () => {
    await store.append('case-w', [solved('w'), closed('w')], 'no_stream');
    await bus.start();
    await bus.settled();
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('atr-replay-')).length;
    await expect(models.verifyReplay()).rejects.toThrow(/exports no projection named noSuchProjection/);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('atr-replay-')).length).toBe(before);
    // the consumers run again: a new event reaches the live table
    await store.append('case-w2', [solved('w2')], 'no_stream');
    await bus.settled();
    expect(models.db.prepare("SELECT times FROM test_solved WHERE case_id = 'w2'").pluck().get()).toBe(1);
  });
});
