import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EventStore } from '@atr/event-store';
import type { EventStoreContractHarness } from '@atr/event-store/testing/event-store-contract';
import { spawnTs } from '@atr/event-store/testing/spawn-ts';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from '../kurrentdb-event-store';
import { InMemoryKurrentDb, type InMemoryKurrentDbOptions } from './in-memory-kurrentdb';

/** A namespace no earlier run on the same server used: each store of the suite starts empty. */
export const freshNamespace = (prefix = 't') => `${prefix}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

function namespaceOf(store: EventStore): string {
  if (!(store instanceof KurrentDbEventStore)) throw new Error('not a KurrentDB store');
  return store.namespace;
}

/** A harness whose stores are namespaces of one log: a new one per store, the same one to reopen. */
function namespaced(open: (namespace: string) => Promise<KurrentDbEventStore>): EventStoreContractHarness {
  return {
    densePositions: false,
    create: () => open(freshNamespace()),
    async reopen(store) {
      await store.close();
      return open(namespaceOf(store));
    },
    connectAgain: (store) => open(namespaceOf(store)),
  };
}

/** Stores on a real server (KURRENTDB_URL), each in a namespace of its own; one client per store. */
export function serverHarness(connectionString: string, options: Partial<KurrentDbEventStoreOptions> = {}): EventStoreContractHarness {
  const open = async (namespace: string) => KurrentDbEventStore.connect({ pollIntervalMs: 100, ...options, connectionString, namespace });
  return {
    ...namespaced(open),
    async spawnKillableWriter() {
      const namespace = freshNamespace();
      const child = spawnTs(join(__dirname, 'kurrentdb-durability-child.ts'), [connectionString, namespace]);
      return { child, open: () => open(namespace) };
    },
  };
}

/** Stores on one in-memory model of the server (see InMemoryKurrentDb), each in its own namespace. */
export function inMemoryHarness(model: InMemoryKurrentDbOptions = { projections: true, linkEvery: 3 }): EventStoreContractHarness & { server: InMemoryKurrentDb } {
  const server = new InMemoryKurrentDb(model);
  return { server, ...namespaced(async (namespace) => KurrentDbEventStore.connect({ client: server, namespace, pollIntervalMs: 50 })) };
}
