import * as path from 'node:path';
import { InProcessBus, type MessageBus } from '@atr/bus';
import type { ServiceName } from '@atr/contracts';
import type { CheckpointStore, EventStore } from '@atr/event-store';
import { KafkaBus } from '@atr/kafka';
import { ConfigError, type PlatformConfig } from '../config/config';
import { SqliteDeadLetterStore } from './sqlite-dead-letters';

const SERVICES: readonly ServiceName[] = ['intake', 'police', 'placement', 'assessment', 'audit'];

type Log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

/** BUS=kafka needs to know which service the process is; a process composing several cannot be one. */
export function assertBusFits(name: string, config: PlatformConfig): void {
  if (config.BUS === 'kafka' && !SERVICES.includes(name as ServiceName)) {
    throw new ConfigError([
      `BUS="kafka": the "${name}" process composes several services in one process, so it has no hand-offs to exchange over Kafka; ` +
        'use BUS=in-process here, or run one service per process (npm run start:distributed, node apps/<service>/dist/main.js)',
    ]);
  }
}

/** Where the process named `name` keeps its consumers' dead letters. */
export function deadLetterStore(name: string, config: PlatformConfig): SqliteDeadLetterStore {
  return new SqliteDeadLetterStore(path.join(config.DATA_DIR, `dead-letters-${name}.db`));
}

/**
 * The bus chosen by configuration. in-process: the store's checkpointed subscriptions carry
 * everything (embedded mode). kafka: this process is one service; events of other services
 * arrive through Kafka consumer groups, its own hand-offs leave through its relay, its own read
 * models still read the store (see @atr/kafka).
 */
export function createMessageBus(name: string, config: PlatformConfig, store: EventStore & CheckpointStore, log: Log, pace?: (handledMs: number) => Promise<void>): MessageBus {
  assertBusFits(name, config);
  const deadLetters = deadLetterStore(name, config);
  if (config.BUS === 'in-process') return new InProcessBus({ store, checkpoints: store, deadLetters, log, pace });
  return new KafkaBus({
    service: name as ServiceName,
    store,
    checkpoints: store,
    brokers: config.KAFKA_BROKERS!,
    clientId: `${config.KAFKA_CLIENT_ID}-${name}`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    partitions: config.KAFKA_PARTITIONS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    deadLetters,
    // the audit service shows the operator every hand-off group and relay of the deployment
    observeAll: name === 'audit',
    log,
  });
}
