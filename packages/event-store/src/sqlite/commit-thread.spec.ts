import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { StoredEvent } from '@atr/contracts';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult } from '../port';
import { newEvent, newEvents, range, sleep, waitFor } from '../testing/fixtures';
import { sqliteHarness } from '../testing/sqlite-harness';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

const REGISTER_TS = join(__dirname, '../testing/register-ts.js');
const STORE_MODULE = join(__dirname, 'sqlite-event-store.ts');
const FIXTURES_MODULE = join(__dirname, '../testing/fixtures.ts');

/** Resolves once the setImmediate queued before it ran: a batch queued this tick was posted, and its reply is not in yet. */
const afterPost = () => new Promise<void>((resolve) => setImmediate(resolve));

async function failureOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/** Tracks when each promise settles, in order. */
function track<T>(promise: Promise<T>, log: string[], name: string): Promise<T> {
  return promise.finally(() => log.push(name));
}

describe('SqliteEventStore commit thread', () => {
  const harness = sqliteHarness();
  const stores: SqliteEventStore[] = [];
  const paths = new Map<SqliteEventStore, string>();
  const open = (options: Partial<SqliteEventStoreOptions> = {}) => {
    const path = options.path ?? harness.newPath();
    const store = SqliteEventStore.open({ commitThread: true, pollIntervalMs: 10, ...options, path });
    stores.push(store);
    paths.set(store, path);
    return store;
  };
  const pathOf = (store: SqliteEventStore) => paths.get(store)!;
  const workerOf = (store: SqliteEventStore) => (store as unknown as { writer: { link?: { worker?: Worker } } }).writer.link?.worker;
  /** A connection of the test holding the write lock, so the store's commit waits for it. */
  const lockWrites = (path: string) => {
    const db = new Database(path);
    db.exec('BEGIN IMMEDIATE');
    return { release: () => (db.exec('COMMIT'), db.close()) };
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(() => harness.cleanup!());

  it('commits on a worker thread and ends it on close()', async () => {
    const store = open();
    await store.append('clue-1', newEvents(2), 'no_stream');
    const worker = workerOf(store)!;
    expect(worker).toBeInstanceOf(Worker);
    expect(worker.threadId).toBeGreaterThan(0);
    await store.close();
    expect(worker.threadId).toBe(-1); // exited
  });

  it('rejects with the same error classes and fields as the in-thread writer', async () => {
    const failures = async (options: Partial<SqliteEventStoreOptions>) => {
      const path = harness.newPath();
      const store = open({ ...options, path, busyTimeoutMs: 50 });
      const event = newEvent({ eventId: '3f1c2a4e-0000-4000-8000-000000000001' });
      await store.append('clue-a', [event], 'no_stream');
      const wrongRevision = await failureOf(store.append('clue-a', [newEvent()], 'no_stream'));
      const duplicate = await failureOf(store.append('clue-b', [event], 'any'));
      const invalid = await failureOf(store.append('clue-c', [{ ...newEvent(), type: undefined as unknown as string }], 'any'));
      const unbindable = await failureOf(store.append('clue-c', [{ ...newEvent(), schemaVersion: true as unknown as number }], 'any'));
      const lock = lockWrites(path);
      const lost = await Promise.all([
        failureOf(store.append('clue-d', [newEvent()], 'any')),
        failureOf(store.append('clue-e', newEvents(2), 'any')),
      ]);
      lock.release();
      return { wrongRevision, duplicate, invalid, unbindable, lost };
    };
    const inThread = await failures({ commitThread: false });
    const threaded = await failures({ commitThread: true });

    expect(threaded.wrongRevision).toBeInstanceOf(WrongExpectedRevisionError);
    expect(threaded.wrongRevision).toMatchObject({ streamId: 'clue-a', expected: 'no_stream', actual: 0, code: 'WRONG_EXPECTED_REVISION' });
    expect(threaded.duplicate).toBeInstanceOf(DuplicateEventIdError);
    expect(threaded.duplicate).toMatchObject({ eventId: '3f1c2a4e-0000-4000-8000-000000000001', code: 'DUPLICATE_EVENT_ID' });
    expect(threaded.duplicate.detail).toMatch(/in stream clue-a at revision 0/);
    expect(threaded.lost[0]).toBeInstanceOf(Database.SqliteError);
    expect(threaded.lost[0].code).toBe('SQLITE_BUSY');
    expect(threaded.lost[1]).toMatchObject({ code: 'SQLITE_BUSY' }); // the whole batch is lost
    // Classes by name: better-sqlite3's native part throws the SqliteError of the first jest
    // module registry that loaded it in this process, which may be another spec file's.
    for (const key of ['wrongRevision', 'duplicate', 'invalid', 'unbindable'] as const) {
      const [a, b] = [inThread[key], threaded[key]];
      expect({ key, type: b.constructor.name, name: b.name, message: b.message, code: b.code, fields: { ...b } }).toEqual({
        key, type: a.constructor.name, name: a.name, message: a.message, code: a.code, fields: { ...a },
      });
    }
    expect(threaded.invalid).toBeInstanceOf(Database.SqliteError); // NOT NULL constraint failed: events.type
    expect(threaded.unbindable).toBeInstanceOf(TypeError);
    expect({ type: threaded.lost[0].constructor.name, message: threaded.lost[0].message }).toEqual({
      type: inThread.lost[0].constructor.name, message: inThread.lost[0].message,
    });
  });

  it('fails only the append holding a value a thread cannot receive', async () => {
    const store = open();
    const outcomes = await Promise.allSettled([
      store.append('clue-a', [newEvent()], 'no_stream'),
      store.append('clue-b', [{ ...newEvent(), causationId: (() => 'cmd') as unknown as string }], 'no_stream'),
      store.append('clue-c', newEvents(2), 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'DataCloneError' });
    expect((await store.readAll()).map((e) => e.streamId)).toEqual(['clue-a', 'clue-c', 'clue-c']);
  });

  it('posts the appends of a later turn without waiting for the batch in flight; they commit after it, in order', async () => {
    let posts = 0;
    const store = open({ now: () => (posts++, new Date()), busyTimeoutMs: 30_000 });
    await store.append('clue-0', [newEvent()], 'no_stream'); // the thread is up
    const lock = lockWrites(pathOf(store)); // holds the commit thread in the first batch's BEGIN
    const settled: string[] = [];
    const first = range(1, 3).map((i) => track(store.append(`clue-a${i}`, [newEvent()], 'no_stream'), settled, `a${i}`));
    await afterPost();
    const second = range(1, 3).map((i) => track(store.append(`clue-b${i}`, newEvents(2), 'no_stream'), settled, `b${i}`));
    await afterPost();
    expect({ posts, settled }).toEqual({ posts: 3, settled: [] }); // both posted, neither committed
    lock.release();
    const results = await Promise.all([...first, ...second]);
    expect(settled).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    expect(results.map((r) => r.lastPosition)).toEqual([2, 3, 4, 6, 8, 10]);
  });

  it('times each transaction once from BEGIN to COMMIT: one that waited for the write lock shows as slow', async () => {
    let tick = 0;
    const store = open({ busyTimeoutMs: 30_000, now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * ++tick) });
    await store.append('clue-0', [newEvent()], 'no_stream'); // the thread is up
    const lock = lockWrites(pathOf(store));
    const waiting = store.append('clue-1', [newEvent()], 'no_stream');
    await sleep(250); // the commit thread waits in this batch's BEGIN
    // two more batches arrive meanwhile: one transaction after it, with a reply for each
    const merged = store.append('clue-2', [newEvent()], 'no_stream');
    await afterPost();
    const alsoMerged = store.append('clue-3', [newEvent()], 'no_stream');
    await afterPost();
    lock.release();
    await Promise.all([waiting, merged, alsoMerged]);
    // a transaction's events share one recordedAt, and the clock moved on with every batch
    expect(new Set((await store.readAll()).map((e) => e.recordedAt)).size).toBe(3);
    const latency = store.commitLatency();
    expect(latency.commits).toBe(3);
    expect(latency.maxMs).toBeGreaterThan(100);
    const over50 = latency.commits - latency.buckets.find((b) => b.le === 50)!.count;
    expect(over50).toBe(1);
  });

  it('close() waits for the batch in flight, then commits what is queued', async () => {
    const store = open();
    const path = pathOf(store);
    const inFlight = store.append('clue-1', newEvents(2), 'no_stream');
    await afterPost();
    const queued = [store.append('clue-1', [newEvent()], 1), store.append('clue-2', [newEvent()], 'no_stream')];
    const closing = store.close();
    expect(store.close()).toBe(closing);
    const results = await Promise.all([inFlight, ...queued]);
    await closing;
    expect(results.map((r) => r.lastPosition)).toEqual([2, 3, 4]);
    await expect(store.append('clue-1', [newEvent()], 'any')).rejects.toThrow(/closed/);
    const reopened = open({ path, commitThread: false });
    expect((await reopened.readAll()).map((e) => e.streamId)).toEqual(['clue-1', 'clue-1', 'clue-1', 'clue-2']);
  });

  it('keeps the event loop running while a commit waits and works', async () => {
    const store = open({ busyTimeoutMs: 30_000 });
    const lock = lockWrites(pathOf(store)); // the commit thread's BEGIN waits for it
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      let settled = 0;
      const appends = range(1, 64).map((i) => store.append(`clue-${i}`, [newEvent()], 'no_stream').finally(() => settled++));
      await waitFor(() => ticks >= 5, 'timer ticks while the batch is in flight');
      expect(settled).toBe(0);
      lock.release();
      const results = await Promise.all(appends);
      expect(new Set(results.map((r) => r.lastPosition)).size).toBe(64);
    } finally {
      clearInterval(timer);
    }
  });

  it('wakes the subscriptions of another store on the same file long before their poll', async () => {
    const writer = open();
    const reader = open({ path: pathOf(writer), commitThread: false, pollIntervalMs: 60_000 });
    const seen: StoredEvent[] = [];
    const sub = reader.subscribe({ from: 0 }, async (events) => void seen.push(...events));
    await sub.caughtUp;
    await writer.append('clue-1', newEvents(2), 'no_stream');
    await waitFor(() => seen.length === 2, 'the other store to be woken', 5_000);
  });

  it('wakes subscriptions of this thread on appends made by a store in another worker thread', async () => {
    const store = open({ pollIntervalMs: 60_000 });
    await store.append('clue-main', [newEvent()], 'no_stream');
    const seen: StoredEvent[] = [];
    const sub = store.subscribe({ from: 0 }, async (events) => void seen.push(...events));
    await sub.caughtUp;
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      const { SqliteEventStore } = require(workerData.store);
      const { newEvents } = require(workerData.fixtures);
      const store = SqliteEventStore.open({ path: workerData.path });
      store.append('clue-worker', newEvents(3), 'no_stream').then(() => store.close()).then(() => parentPort.postMessage('done'));
    `;
    const worker = new Worker(code, {
      eval: true,
      execArgv: ['--require', REGISTER_TS],
      workerData: { store: STORE_MODULE, fixtures: FIXTURES_MODULE, path: pathOf(store) },
    });
    const exited = new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject));
    await waitFor(() => seen.length === 4, 'the append of the other thread', 5_000);
    expect(seen.map((e) => e.streamId)).toEqual(['clue-main', 'clue-worker', 'clue-worker', 'clue-worker']);
    await exited;
  });

  it('keeps a process alive while a commit is in flight, and not once it is idle', async () => {
    const path = harness.newPath();
    const code = `
      const { SqliteEventStore } = require(${JSON.stringify(STORE_MODULE)});
      const { newEvents } = require(${JSON.stringify(FIXTURES_MODULE)});
      const store = SqliteEventStore.open({ path: ${JSON.stringify(path)}, commitThread: true });
      // never closed; once the first append is in, the thread is idle: then only the second
      // append's batch in flight may keep this process alive, until it is committed
      store.append('clue-1', newEvents(2), 'no_stream').then(() => {
        store.append('clue-1', newEvents(1), 1).then((r) => console.log(JSON.stringify(r)));
      });
    `;
    const child = spawn(process.execPath, ['--require', REGISTER_TS, '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code_, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    expect({ code: code_, signal, output: output.trim() }).toEqual({
      code: 0,
      signal: null,
      output: JSON.stringify({ nextExpectedRevision: 2, lastPosition: 3, alreadyAppended: false } satisfies AppendResult),
    });
    const reopened = open({ path, commitThread: false });
    expect(await reopened.readStream('clue-1')).toHaveLength(3);
  }, 20_000);

  it('rejects every batch the thread held when it dies, and refuses later appends', async () => {
    const store = open({ busyTimeoutMs: 30_000 });
    await store.append('clue-0', [newEvent()], 'no_stream'); // starts the thread
    const lock = lockWrites(pathOf(store));
    const inFlight = failureOf(store.append('clue-1', [newEvent()], 'no_stream'));
    await afterPost();
    const postedBehind = failureOf(store.append('clue-2', [newEvent()], 'no_stream'));
    await afterPost();
    const terminated = workerOf(store)!.terminate();
    lock.release(); // lets the thread out of its busy wait, into the termination
    await terminated;
    for (const failure of [await inFlight, await postedBehind]) {
      expect(failure.message).toMatch(/commit thread .* died before confirming this append, which may or may not be stored/);
    }
    await expect(store.append('clue-3', [newEvent()], 'no_stream')).rejects.toThrow(/commit thread .* died .*accepts no more appends/);
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('fails the appends with the reason when the thread cannot open the file', async () => {
    const path = join(harness.dir, 'gone', 'events.db');
    mkdirSync(dirname(path));
    const store = open({ path });
    rmSync(dirname(path), { recursive: true }); // this thread's connection keeps the unlinked file
    const error = await failureOf(store.append('clue-1', [newEvent()], 'no_stream'));
    expect(error.message).toMatch(/commit thread .* died before confirming this append.*directory does not exist/);
    expect((error.cause as Error).message).toMatch(/directory does not exist/);
    await expect(store.append('clue-1', [newEvent()], 'no_stream')).rejects.toThrow(/accepts no more appends/);
  });

  it('lets stores of other threads commit on its commit thread, the batches that arrived together in one transaction', async () => {
    const owner = open();
    await owner.append('clue-0', [newEvent()], 'no_stream'); // the thread runs
    const path = pathOf(owner);
    // clocks ahead of the owner's, the first a second later: one transaction records both at the later time
    const guests = [0, 1].map((s) => SqliteEventStore.open({ path, commitPort: owner.commitPort(), pollIntervalMs: 10, now: () => new Date(Date.UTC(2030, 0, 1, 0, 0, 1 - s)) }));
    try {
      const lock = lockWrites(path);
      const held = owner.append('clue-1', [newEvent()], 'no_stream'); // waits for the lock on the commit thread
      await afterPost();
      // meanwhile each guest posts a batch: both wait on the thread and share the next transaction
      const appended = guests.map((guest, i) => guest.append(`referral-${i}`, [newEvent()], 'no_stream'));
      await new Promise((r) => setTimeout(r, 50));
      lock.release();
      await held;
      const [a, b] = await Promise.all(appended);
      expect(new Set([a.lastPosition, b.lastPosition]).size).toBe(2);
      const reader = new Database(path, { readonly: true });
      const recorded = (position: number) => reader.prepare('SELECT recorded_at FROM events WHERE position = ?').pluck().get(position);
      // one transaction, one recordedAt: the latest clock reading of its batches
      expect([recorded(a.lastPosition), recorded(b.lastPosition)]).toEqual(['2030-01-01T00:00:01.000Z', '2030-01-01T00:00:01.000Z']);
      reader.close();
      expect((await owner.readStream('referral-1')).map((e) => e.eventId)).toEqual((await guests[1].readStream('referral-1')).map((e) => e.eventId));
    } finally {
      await Promise.all(guests.map((g) => g.close())); // the guests let go of their ports; the owner's thread goes on
    }
    await expect(owner.append('clue-3', [newEvent()], 'no_stream')).resolves.toMatchObject({ alreadyAppended: false });
  });

  it('refuses the appends of a guest store once the owner has closed the commit thread', async () => {
    const owner = open();
    const guest = SqliteEventStore.open({ path: pathOf(owner), commitPort: owner.commitPort(), pollIntervalMs: 10 });
    await guest.append('referral-1', [newEvent()], 'no_stream');
    await owner.close();
    await waitFor(async () => (await failureOf(guest.append('referral-2', [newEvent()], 'no_stream'))).message.includes('accepts no more appends'), 'the guest to learn the thread is gone');
    await guest.close();
  });

  it('copies the WAL back into the database file on a thread of its own', async () => {
    const store = open();
    const path = pathOf(store);
    const before = statSync(path).size;
    for (let i = 0; i < 20; i++) await Promise.all(range(1, 25).map((j) => store.append(`clue-${i}-${j}`, newEvents(2), 'no_stream')));
    // the commit thread's connection never checkpoints (wal_autocheckpoint = 0): only the checkpointer fills the file
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(100_000);
    await waitFor(() => statSync(path).size > before + 100_000, 'the checkpointer to copy the WAL into the file');
    expect(statSync(path).size).toBeGreaterThan(before + 100_000);
  }, 30_000);

  it('starts the WAL over under a steady stream of commits, so the log stays short', async () => {
    // commits never pause: without the commit thread's own checkpoint, one always lands while
    // the checkpointer copies and SQLite never writes the log from its beginning again
    const walBytesAfter = async (walRestartAboveFrames: number) => {
      const store = open({ walRestartAboveFrames });
      const path = pathOf(store);
      let next = 0;
      const writer = async () => {
        while (next < 10_000) await store.append(`clue-${next++}`, newEvents(2), 'no_stream');
      };
      await Promise.all(range(1, 8).map(writer));
      return statSync(`${path}-wal`).size;
    };
    const unbounded = await walBytesAfter(Number.MAX_SAFE_INTEGER);
    const bounded = await walBytesAfter(256);
    expect(bounded).toBeLessThan(unbounded / 3);
  }, 60_000);
});
