import { WrongExpectedRevisionError } from '../../errors';
import type { AppendResult, EventStore } from '../../port';
import type { ContractContext } from '../event-store-contract';
import { newEvent, newEvents, range } from '../fixtures';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function settle(results: PromiseSettledResult<AppendResult>[]) {
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
  return { won, lost };
}

export function concurrencyContract(ctx: ContractContext): void {
  describe('optimistic concurrency', () => {
    it('no_stream: creates a stream once', async () => {
      const store = await ctx.create();
      expect((await store.append('clue-1', [newEvent()], 'no_stream')).nextExpectedRevision).toBe(0);
      const error = await rejection(store.append('clue-1', [newEvent()], 'no_stream'));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: 'clue-1', actual: 0 });
    });

    it('stream_exists: refuses a stream that does not exist', async () => {
      const store = await ctx.create();
      const error = await rejection(store.append('case-1', [newEvent()], 'stream_exists'));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: 'case-1', actual: 'no_stream' });
      await store.append('case-1', [newEvent()], 'any');
      expect((await store.append('case-1', newEvents(2), 'stream_exists')).nextExpectedRevision).toBe(2);
    });

    it('exact revision: appends only when the writer saw the last event', async () => {
      const store = await ctx.create();
      await store.append('case-2', newEvents(3), 'no_stream');
      const error = await rejection(store.append('case-2', [newEvent()], 1));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: 'case-2', actual: 2 });
      expect(await rejection(store.append('case-3', [newEvent()], 0))).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.append('case-2', [newEvent()], 2)).nextExpectedRevision).toBe(3);
      expect((await store.append('case-2', [newEvent()], 3n)).nextExpectedRevision).toBe(4);
      expect(await store.readStream('case-2')).toHaveLength(5);
    });

    it('any: never checks', async () => {
      const store = await ctx.create();
      await store.append('clue-any', [newEvent()], 'any');
      await store.append('clue-any', [newEvent()], 'any');
      expect((await store.readStream('clue-any')).map((e) => e.streamRevision)).toEqual([0, 1]);
    });

    it('lets exactly one of 20 concurrent writers with the same expectation win', async () => {
      const store = await ctx.create();
      await store.append('case-race', [newEvent()], 'no_stream');
      const attempts = range(1, 20).map((i) => store.append('case-race', [newEvent({ payload: { i } })], 0));
      const { won, lost } = settle(await Promise.allSettled(attempts));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const error of lost) expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream('case-race')).toHaveLength(2);
    });

    it('lets exactly one creator win among 20 concurrent no_stream appends', async () => {
      const store = await ctx.create();
      const attempts = range(1, 20).map(() => store.append('clue-new', [newEvent()], 'no_stream'));
      const { won, lost } = settle(await Promise.allSettled(attempts));
      expect(won).toHaveLength(1);
      for (const error of lost) expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream('clue-new')).toHaveLength(1);
    });

    const withSecond = (name: string, test: (a: EventStore, b: EventStore) => Promise<void>) =>
      (ctx.harness.connectAgain ? it : it.skip)(name, async () => {
        const a = await ctx.create();
        await test(a, await ctx.connectAgain(a));
      });

    withSecond('checks revisions against writers of another connection', async (a, b) => {
      await a.append('case-shared', [newEvent()], 'no_stream');
      const error = await rejection(b.append('case-shared', [newEvent()], 'no_stream'));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      await b.append('case-shared', [newEvent()], 0);
      expect(await rejection(a.append('case-shared', [newEvent()], 0))).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await a.append('case-shared', [newEvent()], 1)).nextExpectedRevision).toBe(2);
    });

    withSecond('lets exactly one writer win across two connections racing', async (a, b) => {
      await a.append('case-duel', [newEvent()], 'no_stream');
      const attempts = range(1, 20).map((i) => (i % 2 ? a : b).append('case-duel', [newEvent()], 0));
      const { won, lost } = settle(await Promise.allSettled(attempts));
      expect(won).toHaveLength(1);
      for (const error of lost) expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await b.readStream('case-duel')).toEqual(await a.readStream('case-duel'));
      expect(await a.readStream('case-duel')).toHaveLength(2);
    });

    withSecond('keeps one global order across connections', async (a, b) => {
      await Promise.all(range(1, 40).map((i) => (i % 2 ? a : b).append(`clue-${i % 5}`, newEvents(2), 'any')));
      const all = await b.readAll();
      expect(all).toHaveLength(80);
      all.forEach((e, i) => i > 0 && expect(e.globalPosition).toBeGreaterThan(all[i - 1].globalPosition));
      expect(await a.readAll()).toEqual(all);
      expect(await a.headPosition()).toBe(all[79].globalPosition);
    });
  });
}
