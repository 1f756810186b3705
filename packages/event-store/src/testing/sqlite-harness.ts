import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../port';
import { SqliteEventStore, type SqliteEventStoreOptions } from '../sqlite/sqlite-event-store';
import type { EventStoreContractHarness } from './event-store-contract';
import { spawnTs } from './spawn-ts';

/**
 * SqliteEventStores on fresh files in one temp dir, removed by cleanup().
 * `options` apply to every store it opens (e.g. a fast poll interval).
 */
export function sqliteHarness(
  options: Omit<SqliteEventStoreOptions, 'path'> = {},
): EventStoreContractHarness & { dir: string; pathOf(store: EventStore): string; newPath(): string } {
  const dir = mkdtempSync(join(tmpdir(), 'atr-event-store-'));
  const paths = new WeakMap<EventStore, string>();
  let n = 0;
  const newPath = () => join(dir, `store-${++n}.db`);
  const open = async (path: string) => {
    const store = SqliteEventStore.open({ ...options, path });
    paths.set(store, path);
    return store;
  };
  const pathOf = (store: EventStore) => {
    const path = paths.get(store);
    if (!path) throw new Error('not a store of this harness');
    return path;
  };
  return {
    dir,
    pathOf,
    newPath,
    densePositions: true,
    create: () => open(newPath()),
    async reopen(store) {
      await store.close();
      return open(pathOf(store));
    },
    connectAgain: async (store) => open(pathOf(store)),
    async spawnKillableWriter() {
      const path = newPath();
      const child = spawnTs(join(__dirname, 'sqlite-durability-child.ts'), durabilityChildArgs(path, options));
      return { child, open: () => open(path) };
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Arguments of ./sqlite-durability-child.ts: the child writes in the same mode as the harness. */
export function durabilityChildArgs(path: string, options: Pick<SqliteEventStoreOptions, 'commitThread'>): string[] {
  return options.commitThread ? [path, '--commit-thread'] : [path];
}
