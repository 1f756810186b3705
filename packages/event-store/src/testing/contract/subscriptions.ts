import type { StoredEvent } from '@atr/contracts';
import { readAllInBatches } from '../../read-all';
import type { EventStore } from '../../port';
import type { ContractContext } from '../event-store-contract';
import { idsOf, newEvent, newEvents, positionsOf, range, sleep, waitFor } from '../fixtures';

async function allEvents(store: EventStore): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for await (const batch of readAllInBatches(store, { batchSize: 500 })) all.push(...batch);
  return all;
}

/** `total` events in appends of 1..5 events by `writers` concurrent loops over a few streams. */
async function appendConcurrently(store: EventStore, total: number, writers: number, onProgress?: (n: number) => void) {
  let written = 0;
  await Promise.all(
    range(1, writers).map(async (w) => {
      for (let k = 0; written < total; k++) {
        const n = Math.min(1 + ((k + w) % 5), total - written);
        written += n;
        await store.append(`clue-${w}-${k % 7}`, newEvents(n, { type: k % 3 ? 'ClueSubmitted' : 'ClueTriaged' }), 'any');
        onProgress?.(written);
      }
    }),
  );
}

export function subscriptionContract(ctx: ContractContext): void {
  describe('subscriptions', () => {
    it('catches up, then delivers live appends', async () => {
      const store = await ctx.create();
      await store.append('clue-1', newEvents(30), 'no_stream');
      const seen: StoredEvent[] = [];
      const batches: number[] = [];
      const sub = store.subscribe({ from: 0, batchSize: 8 }, async (events) => {
        batches.push(events.length);
        seen.push(...events);
      });
      await sub.caughtUp;
      expect(seen).toHaveLength(30);
      expect(Math.max(...batches)).toBeLessThanOrEqual(8);
      await store.append('clue-1', newEvents(3), 29);
      await store.append('clue-2', newEvents(2), 'no_stream');
      await waitFor(() => seen.length === 35, 'live events');
      expect(seen).toEqual(await allEvents(store));
      expect(sub.position).toBe(seen[34].globalPosition);
      await sub.stop();
      await expect(sub.done).resolves.toBeUndefined();
    });

    it('switches from catch-up to live with no gap and no duplicate under concurrent appends', async () => {
      const store = await ctx.create();
      const total = 2000;
      const early: StoredEvent[] = [];
      const late: StoredEvent[] = [];
      const collect = (into: StoredEvent[]) => async (events: StoredEvent[]) => {
        into.push(...events);
        if (into.length % 3 === 0) await sleep(0); // a slower consumer sometimes
      };
      const live = store.subscribe({ from: 0, batchSize: 50, name: 'early' }, collect(early));
      let lateSub: ReturnType<EventStore['subscribe']> | undefined;
      await appendConcurrently(store, total, 4, (n) => {
        if (!lateSub && n >= 300) lateSub = store.subscribe({ from: 0, batchSize: 64, name: 'late' }, collect(late));
      });
      const head = await store.headPosition();
      await waitFor(() => live.position === head && lateSub?.position === head, 'both subscriptions at head');
      await Promise.all([live.stop(), lateSub!.stop()]);

      const expected = positionsOf(await allEvents(store));
      expect(expected).toHaveLength(total);
      expect(positionsOf(early)).toEqual(expected);
      expect(positionsOf(late)).toEqual(expected);
      if (ctx.harness.densePositions) expect(expected).toEqual(range(1, total));
    });

    it('delivers only the subscribed types, also live', async () => {
      const store = await ctx.create();
      const types = ['ClueSubmitted', 'ClueTriaged', 'ClueReferred'];
      for (let i = 0; i < 30; i++) await store.append(`clue-${i % 4}`, [newEvent({ type: types[i % 3] })], 'any');
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({ from: 0, types: ['ClueSubmitted', 'ClueReferred'], batchSize: 4 }, async (e) => {
        seen.push(...e);
      });
      await sub.caughtUp;
      await store.append('clue-x', newEvents(5, { type: 'ClueTriaged' }), 'any');
      await store.append('clue-x', [newEvent({ type: 'ClueReferred' })], 'any');
      const wanted = (await allEvents(store)).filter((e) => e.type !== 'ClueTriaged');
      await waitFor(() => seen.length === wanted.length, 'filtered events');
      await sleep(20);
      expect(seen).toEqual(wanted);
      // it has seen the whole log, also the filtered-out tail
      await store.append('clue-x', newEvents(2, { type: 'ClueTriaged' }), 'any');
      const head = await store.headPosition();
      await waitFor(() => sub.scannedPosition === head, 'the scanned position to reach the head');
      expect(sub.position).toBeLessThan(head);
      await sub.stop();
    });

    it('resumes after a checkpoint', async () => {
      const store = await ctx.create();
      await store.append('clue-1', newEvents(20), 'no_stream');
      const all = await store.readAll();
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({ from: all[11].globalPosition }, async (e) => void seen.push(...e));
      await sub.caughtUp;
      expect(idsOf(seen)).toEqual(idsOf(all.slice(12)));
      await sub.stop();
      const last = store.subscribe({ from: all[19].globalPosition }, async (e) => void seen.push(...e));
      await last.caughtUp;
      expect(seen).toHaveLength(8);
      await last.stop();
    });

    it('stops at a failing batch and rejects done, without an unhandled rejection', async () => {
      const store = await ctx.create();
      await store.append('clue-1', newEvents(6), 'no_stream');
      const all = await store.readAll();
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        let calls = 0;
        const boom = new Error('projection failed');
        const failing = store.subscribe({ from: 0, batchSize: 2 }, async () => {
          if (++calls === 2) throw boom;
        });
        await expect(failing.done).rejects.toBe(boom);
        expect(failing.position).toBe(all[1].globalPosition);
        await store.append('clue-1', newEvents(1), 5);
        // Nobody ever awaits this one.
        store.subscribe({ from: 0 }, async () => {
          throw new Error('ignored');
        });
        await sleep(50);
        expect(calls).toBe(2);
        expect(unhandled).not.toHaveBeenCalled();
        await failing.stop();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });

    it('stop() waits for the batch in flight and delivers nothing after it', async () => {
      const store = await ctx.create();
      await store.append('clue-1', newEvents(4), 'no_stream');
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const seen: StoredEvent[] = [];
      let entered = false;
      const sub = store.subscribe({ from: 0 }, async (events) => {
        entered = true;
        await gate;
        seen.push(...events);
      });
      await waitFor(() => entered, 'the handler to start');
      let stopped = false;
      const stopping = sub.stop().then(() => (stopped = true));
      await sleep(20);
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(seen).toHaveLength(4);
      expect(sub.position).toBe(seen[3].globalPosition);
      await store.append('clue-1', newEvents(2), 3);
      await sleep(50);
      expect(seen).toHaveLength(4);
    });

    (ctx.harness.connectAgain ? it : it.skip)('sees appends made through another connection', async () => {
      const store = await ctx.create();
      const other = await ctx.connectAgain(store);
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({ from: 0, batchSize: 16 }, async (e) => void seen.push(...e));
      await sub.caughtUp;
      await appendConcurrently(other, 100, 2);
      await waitFor(() => seen.length === 100, 'events from the other connection');
      expect(seen).toEqual(await allEvents(store));
      await sub.stop();
    });
  });
}
