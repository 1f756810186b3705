import Database from 'better-sqlite3';
import type { StoredEvent } from '@atr/contracts';
import { describeEventStoreContract } from '../testing/event-store-contract';
import { ACK_PREFIX } from '../testing/durability-writer';
import { newEvent, newEvents, positionsOf, range, sleep, waitFor } from '../testing/fixtures';
import { durabilityChildArgs, sqliteHarness } from '../testing/sqlite-harness';
import { openStoreReader } from '../open-reader';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

/** Both ways of committing run the whole contract and the specifics below. */
const MODES: [string, Pick<SqliteEventStoreOptions, 'commitThread'>][] = [
  ['in-thread group commit', {}],
  ['commit thread', { commitThread: true }],
];

for (const [mode, modeOptions] of MODES) {
  describeEventStoreContract(`SqliteEventStore (${mode})`, sqliteHarness({ pollIntervalMs: 10, ...modeOptions }));

  describe(`SqliteEventStore specifics (${mode})`, () => {
    const harness = sqliteHarness({ pollIntervalMs: 10, ...modeOptions });
    const stores: SqliteEventStore[] = [];
    const paths = new Map<SqliteEventStore, string>();
    const open = (options: { path?: string; now?: () => Date; synchronous?: 'FULL' | 'NORMAL' } = {}) => {
      const path = options.path ?? harness.newPath();
      const store = SqliteEventStore.open({ pollIntervalMs: 10, ...modeOptions, ...options, path });
      stores.push(store);
      paths.set(store, path);
      return store;
    };
    const pathOf = (store: SqliteEventStore) => paths.get(store)!;
    const connectionOf = (store: SqliteEventStore) => (store as unknown as { db: Database.Database }).db;
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
    });
    afterAll(() => harness.cleanup!());

    it('counts each durable commit once, with how long it took', async () => {
      let tick = 0;
      const store = open({ now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * ++tick) });
      expect(store.commitLatency().commits).toBe(0);
      // the first two share a transaction (same tick), the third has its own
      await Promise.all([store.append('clue-1', newEvents(2), 'no_stream'), store.append('clue-2', [newEvent()], 'no_stream')]);
      await store.append('clue-3', [newEvent()], 'no_stream');
      // each transaction has its own recordedAt: the clock moves on every reading
      const transactions = new Set((await store.readAll()).map((e) => e.recordedAt)).size;
      const latency = store.commitLatency();
      expect(transactions).toBeGreaterThanOrEqual(2);
      expect(latency.commits).toBe(transactions);
      expect(latency.maxMs).toBeGreaterThan(0);
      expect(latency.totalMs).toBeGreaterThanOrEqual(latency.maxMs);
      expect(latency.buckets.at(-1)!.count).toBeLessThanOrEqual(latency.commits);
    });

    it('uses WAL with synchronous FULL by default, and records its schema version', async () => {
      const path = harness.newPath();
      const full = open({ path });
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare(`SELECT value FROM schema_meta WHERE key = 'schema_version'`).pluck().get()).toBe('1');
      db.close();
      expect(connectionOf(full).pragma('synchronous', { simple: true })).toBe(2);
      const normal = open({ synchronous: 'NORMAL' });
      expect(connectionOf(normal).pragma('synchronous', { simple: true })).toBe(1);
    });

    it('refuses a file written by a newer schema', async () => {
      const path = harness.newPath();
      await open({ path }).close();
      const db = new Database(path);
      db.prepare(`UPDATE schema_meta SET value = '99' WHERE key = 'schema_version'`).run();
      db.close();
      expect(() => open({ path })).toThrow(/newer/);
    });

    it('stores JSON.stringify text as is, and never lets a stored row change', async () => {
      const store = open();
      const event = newEvent({ payload: { 说明: '以他人名义入院分娩', n: [1, { b: 2, a: 1 }] } });
      await store.append('clue-raw', [event], 'no_stream');
      const db = new Database(pathOf(store));
      const row = db.prepare('SELECT * FROM events').get() as Record<string, unknown>;
      expect(row.payload).toBe(JSON.stringify(event.payload));
      expect(row.actor).toBe(JSON.stringify(event.actor));
      expect(row.recorded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(() => db.prepare(`UPDATE events SET payload = '{}'`).run()).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM events').run()).toThrow(/immutable/);
      db.close();
    });

    it('wakes its subscriptions at most once per wakeGapMs, and the deferred wake delivers', async () => {
      // polls are minutes apart: only a wake can deliver within the test
      const store = SqliteEventStore.open({ ...modeOptions, path: harness.newPath(), pollIntervalMs: 120_000, wakeGapMs: () => 800 });
      stores.push(store);
      const seen: number[] = [];
      const subscription = store.subscribe({ from: 0 }, async (events) => {
        seen.push(...events.map(() => performance.now()));
      });
      await subscription.caughtUp;
      const start = performance.now();
      await store.append('clue-1', [newEvent()], 'no_stream');
      await waitFor(() => seen.length === 1, 'the first event');
      await store.append('clue-2', [newEvent()], 'no_stream');
      await waitFor(() => seen.length === 2, 'the second event, at the end of the gap');
      // margins for a loaded machine: the first wake is immediate, the second 800 ms after it
      expect(seen[0] - start).toBeLessThan(500);
      expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(500);
    });

    it('commits the appends of one tick in one transaction', async () => {
      let transactions = 0;
      const store = open({ now: () => (transactions++, new Date()) });
      const results = await Promise.all(range(1, 50).map((i) => store.append(`clue-${i}`, newEvents(2), 'no_stream')));
      expect(transactions).toBe(1);
      expect(results.map((r) => r.lastPosition)).toEqual(range(1, 50).map((i) => 2 * i));
      for (let i = 0; i < 3; i++) await store.append('clue-1', [newEvent()], 'any');
      expect(transactions).toBe(4);
    });

    it('fails an append the caller did not validate, and only that one', async () => {
      const store = open();
      const broken = { ...newEvent(), type: undefined } as unknown as ReturnType<typeof newEvent>;
      const outcomes = await Promise.allSettled([
        store.append('clue-a', [newEvent()], 'no_stream'),
        store.append('clue-b', [newEvent(), broken], 'no_stream'),
        store.append('clue-c', [broken], 'no_stream'),
        store.append('clue-d', [newEvent()], 'no_stream'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['clue-a', 'clue-d']);
      await expect(store.append('clue-e', [], 'any')).rejects.toBeInstanceOf(RangeError);
    });

    it('keeps recordedAt growing with position when the clock steps back', async () => {
      let now = Date.parse('2024-06-01T08:00:00.000Z');
      const store = open({ now: () => new Date(now) });
      await store.append('clue-t', [newEvent()], 'no_stream');
      now += 60_000;
      await store.append('clue-t', [newEvent()], 0);
      now -= 3600_000; // NTP correction
      await store.append('clue-t', [newEvent()], 1);
      now += 7200_000;
      await store.append('clue-t', [newEvent()], 2);
      const times = (await store.readStream('clue-t')).map((e) => e.recordedAt);
      expect(times).toEqual([
        '2024-06-01T08:00:00.000Z',
        '2024-06-01T08:01:00.000Z',
        '2024-06-01T08:01:00.000Z',
        '2024-06-01T09:01:00.000Z',
      ]);
      const asOf = async (at: string) => (await store.readStream('clue-t', { asOf: at })).length;
      expect(await asOf('2024-06-01T16:00:59.999+08:00')).toBe(1);
      expect(await asOf('2024-06-01T08:01:00Z')).toBe(3);
      expect(await asOf('2024-06-01T09:30:00Z')).toBe(4);
      await expect(store.readStream('clue-t', { asOf: 'yesterday' })).rejects.toBeInstanceOf(RangeError);
    });

    it('reads several types as the same page whether they are common or rare (windows, then the index)', async () => {
      const store = open();
      // Common, Mid every 3rd, Rare every 97th: windows serve common types, the index rare ones
      const typeAt = (i: number) => (i % 97 === 0 ? 'RareHappened' : i % 3 === 0 ? 'MidHappened' : 'CommonHappened');
      const all = Array.from({ length: 3000 }, (_, i) => newEvent({ type: typeAt(i), payload: { i } }));
      for (let i = 0; i < all.length; i += 500) await store.append(`s-${i}`, all.slice(i, i + 500), 'no_stream');
      const everything = await store.readAll({ limit: 10_000 });
      const cases: [string[], number, number, number | undefined][] = [
        [['CommonHappened', 'MidHappened'], 0, 1000, undefined],
        [['RareHappened', 'MidHappened'], 10, 700, 2500],
        [['RareHappened', 'OtherHappened'], 0, 5, undefined],
        [['RareHappened', 'OtherHappened'], 1500, 1000, undefined],
        [['CommonHappened', 'RareHappened', 'MidHappened'], 2999, 10, undefined],
      ];
      for (const [types, after, limit, upTo] of cases) {
        const expected = everything.filter((e) => types.includes(e.type) && e.globalPosition > after && e.globalPosition <= (upTo ?? Infinity)).slice(0, limit);
        const page = await store.readAll({ types, after, limit, upTo });
        expect({ types, after, positions: positionsOf(page) }).toEqual({ types, after, positions: positionsOf(expected) });
        expect(page).toEqual(expected);
      }
    });

    it('reads records as stored: the actor and payload texts untouched, the rest as readAll gives it', async () => {
      const store = open();
      const written = [newEvent({ payload: { 乙: '砚山县', a: [1, { z: true, y: null }], 甲: 'x' } }), newEvent({ type: 'OtherHappened' })];
      await store.append('clue-rec', written, 'no_stream');
      const records = await store.readRecords({ after: 0 });
      const events = await store.readAll();
      expect(records.map((r) => r.payload)).toEqual(written.map((e) => JSON.stringify(e.payload)));
      expect(records.map((r) => r.actor)).toEqual(written.map((e) => JSON.stringify(e.actor)));
      expect(records.map(({ actor: _a, payload: _p, ...rest }) => rest)).toEqual(events.map(({ actor: _a, payload: _p, ...rest }) => rest));
      expect(await store.readRecords({ types: ['OtherHappened'] })).toEqual([records[1]]);
      expect(await store.positionOfEvent(written[1].eventId)).toBe(records[1].globalPosition);
      expect(await store.positionOfEvent('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('hands out a reader spec another thread opens read-only: same events, appends refused', async () => {
      const store = open();
      await store.append('clue-r', newEvents(3), 'no_stream');
      const spec = store.readerSpec();
      expect(spec).toEqual({ adapter: 'sqlite', path: pathOf(store) });
      const reader = openStoreReader(spec!);
      try {
        expect(await reader.readAll()).toEqual(await store.readAll());
        await expect(reader.append('clue-r', newEvents(1), 'any')).rejects.toThrow(/read-only/);
      } finally {
        await reader.close();
      }
      const memory = SqliteEventStore.open({ path: ':memory:' });
      expect(memory.readerSpec()).toBeUndefined();
      await memory.close();
    });

    it('wakes live subscriptions on commits of this process, without waiting for the poll', async () => {
      const store = SqliteEventStore.open({ ...modeOptions, path: harness.newPath(), pollIntervalMs: 60_000 });
      stores.push(store);
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({ from: 0 }, async (events) => {
        seen.push(...events);
        await sleep(20); // commits land while the handler runs
      });
      await sub.caughtUp;
      await store.append('clue-1', [newEvent()], 'no_stream');
      await waitFor(() => seen.length === 1, 'the first live event', 1000);
      await store.append('clue-1', [newEvent()], 0);
      await waitFor(() => seen.length === 2, 'an event committed during the handler', 1000);
    });

    it('keeps checkpoints, shared by every connection to the file', async () => {
      const store = open();
      expect(await store.load('referral-projection')).toBe(0);
      await store.save('referral-projection', 42);
      await store.save('referral-projection', 57);
      await store.save('deadline-watcher', 3);
      const other = open({ path: pathOf(store) });
      expect(await other.load('referral-projection')).toBe(57);
      await store.close();
      const reopened = open({ path: pathOf(store) });
      expect(await reopened.load('deadline-watcher')).toBe(3);
    });

    it('close() commits queued appends, stops subscriptions, then refuses appends', async () => {
      const store = open();
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({ from: 0 }, async (e) => void seen.push(...e));
      await sub.caughtUp;
      const pending = store.append('clue-late', newEvents(2), 'no_stream');
      await store.close();
      await expect(pending).resolves.toMatchObject({ lastPosition: 2 });
      await expect(sub.done).resolves.toBeUndefined();
      await expect(store.append('clue-late', [newEvent()], 'any')).rejects.toThrow(/closed/);
      expect(() => store.subscribe({ from: 0 }, async () => {})).toThrow(/closed/);
      await store.close();
      const reopened = open({ path: pathOf(store) });
      expect(await reopened.readStream('clue-late')).toHaveLength(2);
    });

    it('shares one file with another process writing at the same time', async () => {
      const store = open();
      const path = pathOf(store);
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({ from: 0, batchSize: 100 }, async (e) => void seen.push(...e));
      const { spawnTs } = await import('../testing/spawn-ts');
      const child = spawnTs(`${__dirname}/../testing/sqlite-durability-child.ts`, durabilityChildArgs(path, modeOptions));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      try {
        let acks = 0;
        child.stdout!.on('data', (d: Buffer) => (acks += d.toString().split(ACK_PREFIX).length - 1));
        await waitFor(() => acks > 0, 'the other process to write');
        for (let i = 0; i < 100; i++) {
          await store.append('parent', newEvents(1 + (i % 3)), i === 0 ? 'no_stream' : 'stream_exists');
          if (i % 10 === 0) await sleep(1);
        }
        expect(acks).toBeGreaterThan(0);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
      const head = await store.headPosition();
      await waitFor(() => sub.position === head, 'the subscription to reach the head');
      expect(positionsOf(seen)).toEqual(range(1, head));
      expect((await store.readStream('parent')).map((e) => e.streamRevision)).toEqual(range(0, 198)); // 100 appends of 1, 2, 3, 1, ... events
      expect(seen.filter((e) => e.streamId.startsWith('durable-')).length).toBeGreaterThan(0);
    });
  });
}
