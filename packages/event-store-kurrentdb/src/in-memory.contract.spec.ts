import { describeEventStoreContract } from '@atr/event-store/testing/event-store-contract';
import { inMemoryHarness } from './testing/harness';

// The adapter's logic against an in-memory model of the KurrentDB client (no server here):
// proves the adapter meets the port given the server behaves as modelled, not that it does.
// The model answers in memory, but on a loaded 2-core machine 2,000 concurrent appends with their
// eventId claims can take longer than jest's 5 s default; nothing here measures speed.
jest.setTimeout(30_000);

describeEventStoreContract('KurrentDB adapter on an in-memory model of the server', inMemoryHarness());
