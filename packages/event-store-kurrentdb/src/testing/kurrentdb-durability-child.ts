// Child process of the durability test on a server: node --require register-ts.js <this> <connection string> <namespace>
import { runDurabilityWriter } from '@atr/event-store/testing/durability-writer';
import { KurrentDbEventStore } from '../kurrentdb-event-store';

const store = KurrentDbEventStore.connect({ connectionString: process.argv[2], namespace: process.argv[3] });
runDurabilityWriter(store).catch((error) => {
  console.error(error);
  process.exit(1);
});
