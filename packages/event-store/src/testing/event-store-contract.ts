import type { ChildProcess } from 'node:child_process';
import type { EventStore } from '../port';
import { concurrencyContract } from './contract/concurrency';
import { durabilityContract } from './contract/durability';
import { idempotencyContract } from './contract/idempotency';
import { orderingContract } from './contract/ordering';
import { roundTripContract } from './contract/round-trip';
import { subscriptionContract } from './contract/subscriptions';

/** A child process writing to a fresh log; see ./durability-writer for what it prints. */
export interface KillableWriter {
  child: ChildProcess;
  /** A store over the log the child wrote, opened once the child is dead. */
  open(): Promise<EventStore>;
}

/** What an adapter provides to run the contract. Optional hooks enable more tests. */
export interface EventStoreContractHarness {
  /** A new, empty store. */
  create(): Promise<EventStore>;
  /** Closes `store` and opens its log again (a restart). */
  reopen?(store: EventStore): Promise<EventStore>;
  /** A second, independent store over the same log as `store`, as another process would open. */
  connectAgain?(store: EventStore): Promise<EventStore>;
  /** Starts a child process that runs runDurabilityWriter (./durability-writer) on a fresh log. */
  spawnKillableWriter?(): Promise<KillableWriter>;
  /** Global positions are exactly 1..N with no hole (SQLite). KurrentDB's are sparse. */
  densePositions?: boolean;
  /** Once after the suite: temp files, containers. */
  cleanup?(): Promise<void>;
}

/** Given to each part of the suite; stores it opens are closed after each test. */
export interface ContractContext {
  readonly harness: EventStoreContractHarness;
  create(): Promise<EventStore>;
  reopen(store: EventStore): Promise<EventStore>;
  connectAgain(store: EventStore): Promise<EventStore>;
}

/** The behaviour every EventStore adapter must have. Depends on the port only. */
export function describeEventStoreContract(adapterName: string, harness: EventStoreContractHarness): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    const open = new Set<EventStore>();
    const track = (store: EventStore) => (open.add(store), store);
    const ctx: ContractContext = {
      harness,
      create: async () => track(await harness.create()),
      async reopen(store) {
        if (!harness.reopen) throw new Error('harness has no reopen');
        open.delete(store);
        return track(await harness.reopen(store));
      },
      async connectAgain(store) {
        if (!harness.connectAgain) throw new Error('harness has no connectAgain');
        return track(await harness.connectAgain(store));
      },
    };

    afterEach(async () => {
      const stores = [...open];
      open.clear();
      await Promise.all(stores.map((s) => s.close()));
    });
    afterAll(async () => harness.cleanup?.());

    orderingContract(ctx);
    concurrencyContract(ctx);
    idempotencyContract(ctx);
    subscriptionContract(ctx);
    roundTripContract(ctx);
    durabilityContract(ctx);
  });
}
