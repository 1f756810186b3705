import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InProcessBus } from '@atr/bus';
import { SqliteEventStore } from '@atr/event-store';
import { KafkaBus } from '@atr/kafka';
import { ConfigError, loadConfig } from '../config/config';
import { createMessageBus } from './message-bus.factory';

describe('the bus chosen by configuration', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bus-factory-'));
    store = SqliteEventStore.open({ path: path.join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const log = () => {};

  it('is the in-process bus by default (embedded mode)', () => {
    expect(createMessageBus('platform', loadConfig({ DATA_DIR: dir }), store, log)).toBeInstanceOf(InProcessBus);
  });

  it('is the Kafka bus for one service per process', () => {
    const config = loadConfig({ DATA_DIR: dir, BUS: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(createMessageBus('police', config, store, log)).toBeInstanceOf(KafkaBus);
  });

  it('refuses Kafka for a process that composes every service', () => {
    const config = loadConfig({ DATA_DIR: dir, BUS: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(() => createMessageBus('platform', config, store, log)).toThrow(ConfigError);
    expect(() => createMessageBus('platform', config, store, log)).toThrow(/use BUS=in-process here, or run one service per process/);
  });
});
