import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { newId, type NewEvent, type StoredEvent } from '@atr/contracts';
import { SqliteEventStore } from '@atr/event-store';
import { InProcessBus } from './in-process-bus';

const actor = { agencyId: 'a', agencyKind: 'PUBLIC', jurisdiction: '532622', userId: 'u', role: 'REPORTER' } as const;
const event = (type: string, n: number): NewEvent => ({
  eventId: newId(), type, schemaVersion: 1, occurredAt: new Date().toISOString(), actor,
  correlationId: `j${n}`, causationId: 'req', payload: { n },
});

describe('InProcessBus', () => {
  let store: SqliteEventStore;
  let bus: InProcessBus;
  beforeEach(() => {
    store = SqliteEventStore.open({ path: path.join(mkdtempSync(path.join(tmpdir(), 'bus-')), 'events.db') });
    bus = new InProcessBus({ store, checkpoints: store, retryDelayMs: 1 });
  });
  afterEach(async () => {
    await bus.stop();
    await store.close();
  });

  it('delivers only the types of a group, in log order, and moves the checkpoint past the others', async () => {
    const seen: number[] = [];
    bus.consume({ group: 'g', types: ['Wanted'] }, async (e) => void seen.push(e.payload.n as number));
    for (let i = 0; i < 10; i++) await store.append(`s${i}`, [event(i % 2 ? 'Wanted' : 'Other', i)], 'no_stream');
    await bus.start();
    await bus.settled();
    expect(seen).toEqual([1, 3, 5, 7, 9]);
    const [status] = await bus.status();
    expect(status).toMatchObject({ group: 'g', checkpoint: 10, lag: 0, caughtUp: true });
    await bus.stop();
    expect(await store.load('g')).toBe(10);
  });

  it('lets a consumer make a batch durable (flush) before the checkpoint records it as consumed', async () => {
    const log: string[] = [];
    const saved: number[] = [];
    const checkpoints = { load: async () => 0, save: async (_g: string, p: number) => void (saved.push(p), log.push(`checkpoint ${p}`)) };
    bus = new InProcessBus({ store, checkpoints, retryDelayMs: 1 });
    bus.consume(
      { group: 'g', types: ['Wanted'], flush: () => void log.push(`flush after ${log.filter((l) => l.startsWith('event')).length} events`) },
      async (e) => void log.push(`event ${e.payload.n}`),
    );
    for (let i = 0; i < 3; i++) await store.append(`s${i}`, [event('Wanted', i)], 'no_stream');
    await bus.start();
    await bus.settled();
    await bus.stop(); // saves the checkpoint it has not saved yet
    expect(log).toEqual(['event 0', 'event 1', 'event 2', 'flush after 3 events', 'checkpoint 3']);
  });

  it('saves the checkpoints of many batches together, and after every batch when told to', async () => {
    const count = async (checkpointEveryMs: number) => {
      const saved: number[] = [];
      const checkpoints = { load: async () => 0, save: async (_g: string, p: number) => void saved.push(p) };
      const b = new InProcessBus({ store, checkpoints, batchSize: 1, checkpointEveryMs });
      b.consume({ group: 'g', types: ['Wanted'] }, async () => undefined);
      await b.start();
      await b.settled();
      await b.stop();
      return saved;
    };
    for (let i = 0; i < 20; i++) await store.append(`s${i}`, [event('Wanted', i)], 'no_stream');
    expect(await count(0)).toHaveLength(20);
    const together = await count(60_000);
    expect(together).toEqual([20]); // once, when the group stopped
  });

  it('resumes after a restart from the saved checkpoint without redelivering', async () => {
    const seen: number[] = [];
    bus.consume({ group: 'g', types: ['Wanted'] }, async (e) => void seen.push(e.payload.n as number));
    await store.append('a', [event('Wanted', 1)], 'no_stream');
    await bus.start();
    await bus.settled();
    await bus.stop();
    await store.append('b', [event('Wanted', 2)], 'no_stream');
    const again = new InProcessBus({ store, checkpoints: store });
    again.consume({ group: 'g', types: ['Wanted'] }, async (e) => void seen.push(e.payload.n as number));
    await again.start();
    await again.settled();
    await again.stop();
    expect(seen).toEqual([1, 2]);
  });

  it('retries a transient failure, and dead-letters a poison event without blocking later ones', async () => {
    let flaky = 0;
    const seen: number[] = [];
    bus.consume({ group: 'g', types: ['Wanted'] }, async (e: StoredEvent) => {
      const n = e.payload.n as number;
      if (n === 1 && flaky++ < 2) throw new Error('database busy');
      if (n === 2) throw new Error('poison');
      seen.push(n);
    });
    for (const n of [1, 2, 3]) await store.append(`s${n}`, [event('Wanted', n)], 'no_stream');
    await bus.start();
    await bus.settled();
    expect(seen).toEqual([1, 3]);
    expect(bus.deadLetters()).toEqual([expect.objectContaining({ group: 'g', error: 'Error: poison', attempts: 4 })]);
    expect((await bus.status())[0].deadLetters).toBe(1);
    expect(await bus.redrive()).toBe(0); // still poison
  });

  it('handles journeys concurrently when asked, keeping each journey in order', async () => {
    const seen: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    bus.consume({ group: 'g', types: ['Wanted'], concurrency: 8 }, async (e) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      seen.push(`${e.correlationId}:${e.payload.n}`);
      inFlight--;
    });
    // 5 journeys × 4 events, interleaved in the log
    for (let i = 0; i < 20; i++) await store.append(`s${i}`, [{ ...event('Wanted', i), correlationId: `j${i % 5}` }], 'no_stream');
    await bus.start();
    await bus.settled();
    expect(seen).toHaveLength(20);
    expect(maxInFlight).toBeGreaterThan(1);
    for (let j = 0; j < 5; j++) {
      const order = seen.filter((s) => s.startsWith(`j${j}:`)).map((s) => Number(s.split(':')[1]));
      expect(order).toEqual([j, j + 5, j + 10, j + 15]);
    }
  });

  it('pauses and resumes a group', async () => {
    const seen: number[] = [];
    bus.consume({ group: 'g', types: ['Wanted'] }, async (e) => void seen.push(e.payload.n as number));
    await bus.start();
    await bus.pause('g');
    await store.append('a', [event('Wanted', 1)], 'no_stream');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    bus.resume('g');
    await bus.settled();
    expect(seen).toEqual([1]);
  });

  it('paces each batch: the next one of the group waits until pace() lets it go', async () => {
    const paced: number[] = [];
    const handled: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const b = new InProcessBus({ store, checkpoints: store, batchSize: 2, pace: (ms) => (paced.push(ms), held) });
    b.consume({ group: 'g', types: ['Wanted'] }, async (e) => void handled.push(e.payload.n as number));
    for (let i = 0; i < 4; i++) await store.append(`s${i}`, [event('Wanted', i)], 'no_stream');
    await b.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).toEqual([0, 1]); // the second batch waits for the pace of the first
    expect(paced).toHaveLength(1);
    expect(paced[0]).toBeGreaterThanOrEqual(0);
    release();
    await b.settled();
    expect(handled).toEqual([0, 1, 2, 3]);
    await b.stop();
  });
});
