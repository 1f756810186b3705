import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '@atr/event-store';
import { newEvent } from '@atr/event-store/testing/fixtures';
import { DbSource } from './db-source';
import type { LeafBatch } from './source';

async function collect(source: DbSource): Promise<{ leaves: string[]; positions: (number | undefined)[]; starts: number[] }> {
  const out = { leaves: [] as string[], positions: [] as (number | undefined)[], starts: [] as number[] };
  for await (const batch of source.batches() as AsyncIterable<LeafBatch>) {
    out.starts.push(batch.start);
    out.leaves.push(...batch.leaves.map((l) => l.toString('hex')));
    out.positions.push(...batch.positions);
  }
  await source.close();
  return out;
}

describe('DbSource', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'atr-db-source-'));
  const file = path.join(dir, 'events.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes the file on worker threads to exactly the leaves this thread computes, in log order', async () => {
    const store = SqliteEventStore.open({ path: file });
    for (let i = 0; i < 30; i++) {
      await store.append(`clue-${i}`, Array.from({ length: 700 }, (_, j) => newEvent({ payload: { i, j, 备注: '砚山县'.repeat(j % 7) } })), 'no_stream');
    }
    await store.close();
    const serial = await collect(new DbSource(file, { workers: 1 }));
    const parallel = await collect(new DbSource(file, { workers: 2, parallelFrom: 0 }));
    expect(serial.leaves).toHaveLength(21_000);
    expect(parallel.leaves).toEqual(serial.leaves);
    expect(parallel.positions).toEqual(serial.positions);
    expect(parallel.positions[20_999]).toBe(21_000);
    // two ranges of 10,500, each in chunks of 8,192: the second range starts where the first ended
    expect(parallel.starts).toEqual([0, 8192, 10_500, 18_692]);
  });
});
