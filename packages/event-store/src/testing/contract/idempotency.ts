import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../errors';
import type { ContractContext } from '../event-store-contract';
import { idsOf, newEvent, newEvents, positionsOf, range } from '../fixtures';

export function idempotencyContract(ctx: ContractContext): void {
  describe('idempotent append and failed appends', () => {
    it('treats a retry of the same eventIds as done, whatever the expectation', async () => {
      const store = await ctx.create();
      const events = newEvents(3);
      const first = await store.append('clue-retry', events, 'no_stream');
      expect(first.alreadyAppended).toBe(false);
      await store.append('clue-retry', [newEvent()], 2);
      const head = await store.headPosition();

      for (const expected of ['no_stream', 'any', 'stream_exists', 0] as const) {
        const retry = await store.append('clue-retry', events, expected);
        expect(retry).toEqual({ ...first, alreadyAppended: true });
      }
      // A retry of the head of the batch only.
      const part = await store.append('clue-retry', events.slice(0, 2), 'no_stream');
      expect(part.alreadyAppended).toBe(true);
      expect(part.nextExpectedRevision).toBe(1);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream('clue-retry')).toHaveLength(4);
    });

    it('stores a batch once when it is appended twice at the same time', async () => {
      const store = await ctx.create();
      const events = newEvents(2);
      const [a, b] = await Promise.all([
        store.append('clue-twice', events, 'no_stream'),
        store.append('clue-twice', events, 'no_stream'),
      ]);
      expect([a.alreadyAppended, b.alreadyAppended].sort()).toEqual([false, true]);
      expect(a.lastPosition).toBe(b.lastPosition);
      expect(idsOf(await store.readAll())).toEqual(idsOf(events));
    });

    it('refuses an eventId stored in another stream', async () => {
      const store = await ctx.create();
      const event = newEvent();
      await store.append('clue-1', [event], 'any');
      const error = await store.append('clue-2', [event], 'any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: event.eventId });
      expect(await store.readStream('clue-2')).toEqual([]);
    });

    it('refuses a batch that only partly repeats stored events, and stores none of it', async () => {
      const store = await ctx.create();
      const stored = newEvents(2);
      await store.append('clue-p', stored, 'no_stream');
      const head = await store.headPosition();
      const attempts = [
        [stored[0], newEvent()], // known first, new second
        [newEvent(), stored[1]], // new first, known second
        [stored[1], stored[0]], // known, other order
        (() => { const e = newEvent(); return [e, e]; })(), // repeated inside the batch
      ];
      for (const batch of attempts) {
        await expect(store.append('clue-p', batch, 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      }
      expect(await store.headPosition()).toBe(head);
      expect(idsOf(await store.readAll())).toEqual(idsOf(stored));
      const next = await store.append('clue-p', [newEvent()], 1);
      expect(next.nextExpectedRevision).toBe(2);
      if (ctx.harness.densePositions) expect(next.lastPosition).toBe(head + 1);
    });

    it('fails only the bad appends of those committed together', async () => {
      const store = await ctx.create();
      const taken = newEvent();
      await store.append('clue-taken', [taken], 'no_stream');
      const good = range(1, 5).map((i) => newEvents(2, { payload: { i } }));
      const outcomes = await Promise.allSettled([
        store.append('g-1', good[0], 'no_stream'),
        store.append('clue-taken', newEvents(3), 'no_stream'), // wrong revision
        store.append('g-2', good[1], 'no_stream'),
        store.append('g-3', [newEvent(), taken], 'no_stream'), // duplicate in the middle
        store.append('g-4', good[2], 'no_stream'),
        store.append('clue-taken', newEvents(1), 5), // wrong revision
        store.append('g-5', good[3], 'no_stream'),
        store.append('g-6', good[4], 'no_stream'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled',
      ]);
      const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(reasons[0]).toBeInstanceOf(WrongExpectedRevisionError);
      expect(reasons[1]).toBeInstanceOf(DuplicateEventIdError);
      expect(reasons[2]).toBeInstanceOf(WrongExpectedRevisionError);

      const all = await store.readAll();
      // Appends made at the same time may commit in any order; each stays contiguous in its stream.
      expect(idsOf(all).sort()).toEqual([taken.eventId, ...idsOf(good.flat())].sort());
      for (const [i, stream] of ['g-1', 'g-2', 'g-4', 'g-5', 'g-6'].entries()) {
        expect(idsOf(await store.readStream(stream))).toEqual(idsOf(good[i]));
      }
      expect(all.filter((e) => e.streamId === 'g-3')).toEqual([]);
      expect(await store.readStream('clue-taken')).toHaveLength(1);
      if (ctx.harness.densePositions) expect(positionsOf(all)).toEqual(range(1, 11));
    });
  });
}
