import { describeEventStoreContract } from '@atr/event-store/testing/event-store-contract';
import { inMemoryHarness } from './testing/harness';

// The adapter's logic against an in-memory model of the KurrentDB client (no server here):
// proves the adapter meets the port given the server behaves as modelled, not that it does.
describeEventStoreContract('KurrentDB adapter on an in-memory model of the server', inMemoryHarness());
