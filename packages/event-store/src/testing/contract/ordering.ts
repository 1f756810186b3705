import type { StoredEvent } from '@atr/contracts';
import { readAllInBatches } from '../../read-all';
import type { ContractContext } from '../event-store-contract';
import { idsOf, newEvent, newEvents, positionsOf, range, sleep } from '../fixtures';

function expectStrictlyIncreasing(positions: number[]): void {
  positions.forEach((p, i) => i > 0 && expect(p).toBeGreaterThan(positions[i - 1]));
}

export function orderingContract(ctx: ContractContext): void {
  describe('global order and reads', () => {
    it('is empty at first', async () => {
      const store = await ctx.create();
      expect(await store.headPosition()).toBe(0);
      expect(await store.readAll()).toEqual([]);
      expect(await store.readStream('clue-none')).toEqual([]);
      expect(await store.readCorrelation('clue-none')).toEqual([]);
    });

    it('gives positions strictly increasing in commit order across streams', async () => {
      const store = await ctx.create();
      const plan: Array<[string, number]> = [['clue-a', 2], ['clue-b', 1], ['clue-a', 1], ['case-c', 3]];
      const written: string[] = [];
      const results = [];
      for (const [stream, count] of plan) {
        const events = newEvents(count);
        results.push(await store.append(stream, events, 'any'));
        written.push(...idsOf(events));
      }
      const all = await store.readAll();
      expect(idsOf(all)).toEqual(written);
      expectStrictlyIncreasing(positionsOf(all));
      expectStrictlyIncreasing(results.map((r) => r.lastPosition));
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 0, 2, 2]);
      expect(all.map((e) => `${e.streamId}@${e.streamRevision}`)).toEqual([
        'clue-a@0', 'clue-a@1', 'clue-b@0', 'clue-a@2', 'case-c@0', 'case-c@1', 'case-c@2',
      ]);
      expect(await store.headPosition()).toBe(all[all.length - 1].globalPosition);
      if (ctx.harness.densePositions) expect(positionsOf(all)).toEqual(range(1, 7));
    });

    it('returns the last position of each append, also for appends committed together', async () => {
      const store = await ctx.create();
      const results = await Promise.all(range(1, 10).map((i) => store.append(`clue-${i}`, newEvents(i % 3 + 1), 'no_stream')));
      const all = await store.readAll();
      expectStrictlyIncreasing(positionsOf(all));
      for (const [i, result] of results.entries()) {
        const stream = all.filter((e) => e.streamId === `clue-${i + 1}`);
        expect(result.lastPosition).toBe(stream[stream.length - 1].globalPosition);
      }
    });

    it('pages the global log with after, upTo and limit', async () => {
      const store = await ctx.create();
      for (let i = 0; i < 5; i++) await store.append(`clue-${i % 2}`, newEvents(5), 'any');
      const all = await store.readAll();
      expect(all).toHaveLength(25);
      const p = positionsOf(all);
      expect(await store.readAll({ limit: 10 })).toEqual(all.slice(0, 10));
      expect(await store.readAll({ after: p[9], limit: 10 })).toEqual(all.slice(10, 20));
      expect(await store.readAll({ after: p[19], limit: 10 })).toEqual(all.slice(20));
      expect(await store.readAll({ after: p[24] })).toEqual([]);
      expect(await store.readAll({ upTo: p[4] })).toEqual(all.slice(0, 5));
      expect(await store.readAll({ after: p[2], upTo: p[4] })).toEqual(all.slice(3, 5));

      const batches: StoredEvent[][] = [];
      for await (const batch of readAllInBatches(store, { batchSize: 10 })) batches.push(batch);
      expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
      expect(batches.flat()).toEqual(all);
      const bounded: StoredEvent[] = [];
      for await (const batch of readAllInBatches(store, { after: p[3], upTo: p[13], batchSize: 4 })) bounded.push(...batch);
      expect(bounded).toEqual(all.slice(4, 14));
    });

    it('filters the global log by type, page by page', async () => {
      const store = await ctx.create();
      const types = ['ClueSubmitted', 'ClueTriaged', 'ClueReferred'];
      for (let i = 0; i < 12; i++) await store.append(`clue-${i}`, [newEvent({ type: types[i % 3] })], 'no_stream');
      const wanted = (await store.readAll()).filter((e) => e.type !== 'ClueTriaged');
      expect(await store.readAll({ types: ['ClueSubmitted', 'ClueReferred'] })).toEqual(wanted);
      const paged: StoredEvent[] = [];
      for await (const batch of readAllInBatches(store, { types: ['ClueSubmitted', 'ClueReferred'], batchSize: 3 })) paged.push(...batch);
      expect(paged).toEqual(wanted);
    });

    it('never returns more than 10,000 events from the global log, 1,000 by default', async () => {
      const store = await ctx.create();
      await Promise.all(range(0, 10).map((i) => store.append(`bulk-${i}`, newEvents(i === 10 ? 50 : 1000), 'no_stream')));
      expect(await store.readAll()).toHaveLength(1000);
      expect(await store.readAll({ limit: 50_000 })).toHaveLength(10_000);
    });

    it('reads a stream in revision order, as of a revision, a position or an instant', async () => {
      const store = await ctx.create();
      const stream = 'clue-asof';
      for (let i = 0; i < 3; i++) {
        await store.append(stream, [newEvent({ payload: { i } })], 'any');
        await store.append('clue-other', [newEvent()], 'any');
        await sleep(5);
      }
      const full = await store.readStream(stream);
      expect(full.map((e) => e.payload.i)).toEqual([0, 1, 2]);
      expect(full.map((e) => e.streamRevision)).toEqual([0, 1, 2]);
      expect(await store.readStream(stream, { upToRevision: 1 })).toEqual(full.slice(0, 2));
      expect(await store.readStream(stream, { upToPosition: full[1].globalPosition })).toEqual(full.slice(0, 2));
      expect(await store.readStream(stream, { upToPosition: full[1].globalPosition + 1 })).toEqual(full.slice(0, 2));

      const asOf = full[1].recordedAt;
      const expected = full.filter((e) => Date.parse(e.recordedAt) <= Date.parse(asOf));
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect(expected.length).toBeLessThan(3);
      expect(await store.readStream(stream, { asOf })).toEqual(expected);
      // The same instant written in Beijing time.
      const beijing = new Date(Date.parse(asOf) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
      expect(await store.readStream(stream, { asOf: beijing })).toEqual(expected);
      expect(await store.readStream(stream, { asOf: '2000-01-01T00:00:00Z' })).toEqual([]);
    });

    it('reads every event of a correlation id in global order', async () => {
      const store = await ctx.create();
      const journey = 'clue-7f3a';
      await store.append('clue-7f3a', [newEvent({ correlationId: journey })], 'no_stream');
      await store.append('clue-other', [newEvent({ correlationId: 'clue-other' })], 'no_stream');
      await store.append('referral-1', newEvents(2, { correlationId: journey }), 'no_stream');
      await store.append('clue-7f3a', [newEvent({ correlationId: journey })], 0);
      const all = await store.readAll();
      const mine = all.filter((e) => e.correlationId === journey);
      expect(mine).toHaveLength(4);
      expect(await store.readCorrelation(journey)).toEqual(mine);
      expect(await store.readCorrelation(journey, { upTo: mine[2].globalPosition })).toEqual(mine.slice(0, 3));
    });
  });
}
