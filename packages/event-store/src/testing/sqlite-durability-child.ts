// Child process of the SQLite durability test: node --require register-ts.js <this> <db path> [--commit-thread]
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { runDurabilityWriter } from './durability-writer';

const store = SqliteEventStore.open({ path: process.argv[2], commitThread: process.argv.includes('--commit-thread') });
runDurabilityWriter(store).catch((error) => {
  console.error(error);
  process.exit(1);
});
