import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '@atr/event-store';
import { KurrentDbEventStore } from '@atr/event-store-kurrentdb';
import { loadConfig } from './config/config';
import { systemClock } from './domain/clock';
import { openEventStore } from './platform.module';

describe('the event store chosen by EVENT_STORE', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'atr-platform-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the SQLite file in DATA_DIR by default', async () => {
    const store = openEventStore(loadConfig({ DATA_DIR: dir }), systemClock);
    expect(store).toBeInstanceOf(SqliteEventStore);
    await store.close();
  });

  it('is the KurrentDB adapter (also the checkpoint store) with EVENT_STORE=kurrentdb', async () => {
    // The client connects lazily: no server is needed to build it.
    const store = openEventStore(loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://admin:changeit@127.0.0.1:1?tls=false' }), systemClock);
    expect(store).toBeInstanceOf(KurrentDbEventStore);
    expect(typeof store.save).toBe('function');
    await store.close();
  });
});
