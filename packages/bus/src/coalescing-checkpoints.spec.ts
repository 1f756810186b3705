import { CoalescingCheckpoints } from './coalescing-checkpoints';

describe('CoalescingCheckpoints', () => {
  it('writes the latest checkpoint once per interval, never moves one back, and flushes what is pending', async () => {
    const writes: [string, number][] = [];
    const saved = new Map<string, number>([['relay:intake', 3]]);
    const inner = {
      load: async (name: string) => saved.get(name) ?? 0,
      save: async (name: string, position: number) => {
        writes.push([name, position]);
        saved.set(name, position);
      },
    };
    const checkpoints = new CoalescingCheckpoints(inner, 50);
    await checkpoints.save('relay:intake', 5);
    await checkpoints.save('relay:intake', 9);
    await checkpoints.save('relay:intake', 7); // a late, smaller save never moves it back
    expect(await checkpoints.load('relay:intake')).toBe(9);
    expect(writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    expect(writes).toEqual([['relay:intake', 9]]);
    await checkpoints.save('g', 1);
    await checkpoints.flush();
    expect(writes).toEqual([['relay:intake', 9], ['g', 1]]);
    expect(await checkpoints.load('g')).toBe(1);
  });
});
