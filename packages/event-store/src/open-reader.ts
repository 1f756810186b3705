import type { EventStore, StoreReaderSpec } from './port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** Opens a read-only reader from a spec that another thread's store handed out (see EventStore.readerSpec). */
export function openStoreReader(spec: StoreReaderSpec): EventStore {
  switch (spec.adapter) {
    case 'sqlite':
      return SqliteEventStore.open({ path: spec.path, readOnly: true });
  }
}
