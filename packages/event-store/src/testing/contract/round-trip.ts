import type { NewEvent } from '@atr/contracts';
import type { ContractContext } from '../event-store-contract';
import { newEvent } from '../fixtures';

/** Chinese text, emoji (surrogate pairs), separators JSON treats specially, nesting, key order. */
const payload = {
  标题: '网上非法送养线索',
  summary: '砚山县某平台账号发布“送养”信息，疑似拐卖儿童 👶🏻',
  platform: { name: '某短视频平台', account: '@小明の妈妈', url: 'https://example.cn/v/123?q=送养&x=1' },
  attachments: [{ sha256: 'ab'.repeat(32), bytes: 1024, 描述: '截图' }, { sha256: 'cd'.repeat(32), bytes: 0 }],
  child: { ageYears: 3.5, sex: null, traits: ['左耳有痣', '说方言'], known: false },
  escapes: 'quote " backslash \\ newline \n tab \t line-sep \u2028 para-sep \u2029 nul \u0000',
  numbers: [0, -1, 1.25, 1e21, Number.MAX_SAFE_INTEGER],
  empty: { list: [], object: {}, text: '' },
  zOrder: 1,
  aOrder: 2,
};

const event = (): NewEvent =>
  newEvent({
    type: 'ClueSubmitted',
    correlationId: '线索-532622-0001',
    causationId: '请求-1',
    actor: { agencyId: '砚山县网信办', agencyKind: 'CYBERSPACE', jurisdiction: '532622', userId: '张三', role: 'REPORTER' },
    payload,
  });

export function roundTripContract(ctx: ContractContext): void {
  describe('round trip', () => {
    it('returns Chinese text and nested payloads exactly, keys in the same order', async () => {
      let store = await ctx.create();
      const written = event();
      await store.append('线索-532622-0001', [written], 'no_stream');
      const check = async () => {
        const [stored] = await store.readStream('线索-532622-0001');
        expect(stored).toMatchObject({ ...written, streamId: '线索-532622-0001', streamRevision: 0 });
        expect(JSON.stringify(stored.payload)).toBe(JSON.stringify(written.payload));
        expect(JSON.stringify(stored.actor)).toBe(JSON.stringify(written.actor));
        expect(await store.readCorrelation('线索-532622-0001')).toEqual([stored]);
        expect(Number.isNaN(Date.parse(stored.recordedAt))).toBe(false);
      };
      await check();
      if (ctx.harness.reopen) {
        store = await ctx.reopen(store);
        await check();
      }
    });

    it('stores what was appended, not later changes to the caller objects', async () => {
      const store = await ctx.create();
      const written = newEvent({ payload: { status: '待核查', tags: ['紧急'] } });
      const appending = store.append('clue-mutable', [written], 'no_stream');
      (written.payload.tags as string[]).push('later');
      written.payload.status = 'changed';
      await appending;
      const [stored] = await store.readStream('clue-mutable');
      expect(stored.payload).toEqual({ status: '待核查', tags: ['紧急'] });
    });
  });
}
