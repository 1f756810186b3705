import { Module, type OnModuleInit, Inject } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { newId, type StoredEvent } from '@atr/contracts';
import { READ_MODELS, type Projection, type ReadModels } from '@atr/platform';
import { createTestApp, type TestApp } from '../../../../packages/platform/src/testing/test-app';
import { AuditModule } from '../audit.module';
import { school, Seeder } from '../testing/journey-fixture';

const AUDITOR = 'demo-procuratorate-auditor';

/** A tiny read model: events per type. */
const counter: Projection = {
  name: 'test_counter',
  types: ['ClueSubmitted', 'ClueTriaged', 'ClueReferred', 'ReferralReceived'],
  schema: ['CREATE TABLE IF NOT EXISTS test_event_counts (type TEXT PRIMARY KEY, count INTEGER NOT NULL)'],
  tables: { test_event_counts: 'type' },
  apply(db: Database.Database, event: StoredEvent) {
    db.prepare('INSERT INTO test_event_counts (type, count) VALUES (?, 1) ON CONFLICT(type) DO UPDATE SET count = count + 1').run(event.type);
  },
};

/** Registers the read model, and a consumer that always fails so a hand-off gets stuck. */
@Module({})
class TestReadModelsModule implements OnModuleInit {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}
  onModuleInit() {
    this.readModels.register(counter);
    this.bus.consume({ group: 'test:broken-inbox', types: ['ClueReferred'] }, async () => {
      throw new Error('inbox unavailable');
    });
  }
}

const projection = (body: { projections: { projection: string }[] }, name: string) => body.projections.find((p) => p.projection === name) as any;

describe('POST /audit/replays and GET /audit/consumers', () => {
  let t: TestApp;
  let referred: StoredEvent;

  beforeAll(async () => {
    t = await createTestApp([AuditModule, TestReadModelsModule]);
    const seed = new Seeder(t.store, t.clock);
    await seed.referredClue();
    referred = (await seed.referredClue()).referred;
    await t.settle();
  });

  afterAll(() => t.close());

  it('rebuilds every projection from 0 and finds it equal to the live tables', async () => {
    const res = await t.request('POST', '/audit/replays', { key: AUDITOR });
    expect(res.status).toBe(200);
    // the audit module's own read model (the reports' facts) takes part too: 3 of the 4 types, twice
    expect(res.body).toMatchObject({ equal: true, eventsScanned: 8, eventsApplied: 8 + 6, unreadableEvents: { count: 0, first: [] } });
    expect(res.body.projections.map((p: { projection: string }) => p.projection)).toEqual(['audit_reports', 'test_counter']);
    expect(projection(res.body, 'test_counter')).toEqual({
      projection: 'test_counter',
      position: 8,
      eventsApplied: 8,
      equal: true,
      tables: [{ table: 'test_event_counts', liveRows: 4, replayRows: 4, equal: true }],
      thread: 0,
    });
    // its last event is the second ClueReferred
    expect(projection(res.body, 'audit_reports')).toMatchObject({ position: 7, eventsApplied: 6, equal: true });
    expect(res.body.startedAt).toBe(t.clock.now().toISOString());
    expect(typeof res.body.durationMs).toBe('number');
  });

  it('names the table and the first differing row when the live table was tampered with', async () => {
    const readModels = t.app.get<ReadModels>(READ_MODELS);
    readModels.db.prepare('UPDATE test_event_counts SET count = 99 WHERE type = ?').run('ClueReferred');
    const res = await t.request('POST', '/audit/replays', { key: AUDITOR });
    expect(res.status).toBe(200);
    expect(res.body.equal).toBe(false);
    expect(projection(res.body, 'test_counter').tables[0]).toEqual({
      table: 'test_event_counts',
      liveRows: 4,
      replayRows: 4,
      equal: false,
      firstDifference: { index: 0, live: { type: 'ClueReferred', count: 99 }, replay: { type: 'ClueReferred', count: 2 } },
    });
    readModels.db.prepare('UPDATE test_event_counts SET count = 2 WHERE type = ?').run('ClueReferred');
  });

  it('counts events of the log that no longer read (unknown version or invalid payload)', async () => {
    const base = { occurredAt: t.clock.now().toISOString(), actor: school, correlationId: 'broken', causationId: 'req-broken' };
    await t.store.append('clue-broken', [
      { ...base, eventId: newId(), type: 'ClueSubmitted', schemaVersion: 7, payload: {} },
      { ...base, eventId: newId(), type: 'ClueTriaged', schemaVersion: 1, payload: { clueId: 'not-a-uuid' } },
    ], 'no_stream');
    await t.settle();
    const res = await t.request('POST', '/audit/replays', { key: AUDITOR });
    expect(res.body.unreadableEvents.count).toBe(2);
    expect(res.body.unreadableEvents.first.map((e: { position: number; type: string }) => [e.position, e.type])).toEqual([
      [9, 'ClueSubmitted'],
      [10, 'ClueTriaged'],
    ]);
    expect(res.body.unreadableEvents.first[0].error).toMatch(/newer than v2/);
    expect(res.body.eventsScanned).toBe(10);
    // the stream stays readable for the auditor, with the reason
    const stream = await t.request('GET', '/audit/streams/clue-broken', { key: AUDITOR });
    expect(stream.status).toBe(200);
    expect(stream.body.events[0].readError).toMatch(/ClueSubmitted v7/);
  });

  it('refuses non-auditors', async () => {
    expect((await t.request('POST', '/audit/replays', { key: 'demo-civil-affairs-social-worker' })).status).toBe(403);
    expect((await t.request('GET', '/audit/consumers', { key: 'demo-yanshan-police-leader' })).status).toBe(403);
  });

  it('shows checkpoints, lag and the dead-lettered hand-off without its payload', async () => {
    const res = await t.request('GET', '/audit/consumers', { key: 'demo-jco-supervisor' });
    expect(res.status).toBe(200);
    const groups = Object.fromEntries(res.body.consumers.map((c: { group: string }) => [c.group, c]));
    expect(groups['read-model:test_counter']).toMatchObject({ checkpoint: res.body.headPosition, lag: 0, deadLetters: 0, running: true });
    expect(groups['test:broken-inbox']).toMatchObject({ lag: 0, deadLetters: 2 });
    expect(res.body.deadLetters).toHaveLength(2);
    expect(res.body.deadLetters[1]).toMatchObject({
      group: 'test:broken-inbox',
      eventId: referred.eventId,
      type: 'ClueReferred',
      position: referred.globalPosition,
      correlationId: referred.correlationId,
      error: 'Error: inbox unavailable',
      attempts: 4,
    });
    expect(res.body.deadLetters[1]).not.toHaveProperty('event');
    expect(JSON.stringify(res.body)).not.toContain('小明');
  });
});
