import type { StoredEvent } from '@atr/contracts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { encodeEvent } from '../codec';

export interface RawProduceResult {
  events: number;
  /** Events after the first batch (connection and metadata warm-up excluded). */
  measuredEvents: number;
  seconds: number;
  eventsPerSec: number;
}

/**
 * The limit the relay is measured against (infra/bench/kafka.js): the same records (encoded as
 * the relay encodes them), the same producer settings (idempotent, one request in flight,
 * acks = all) and the same batch size, sent by kafkajs straight from memory — no store, no
 * checkpoint.
 */
export async function rawProduce(options: { brokers: string[]; topic: string; events: StoredEvent[]; batchSize: number }): Promise<RawProduceResult> {
  const kafka = new Kafka({ clientId: 'bench-raw-produce', brokers: options.brokers, logLevel: logLevel.ERROR });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const messages = options.events.map(encodeEvent);
    let started = 0;
    let measured = 0;
    for (let i = 0; i < messages.length; i += options.batchSize) {
      const batch = messages.slice(i, i + options.batchSize);
      await producer.sendBatch({ topicMessages: [{ topic: options.topic, messages: batch }], acks: -1 });
      if (i === 0) started = performance.now();
      else measured += batch.length;
    }
    const seconds = (performance.now() - started) / 1000;
    return { events: messages.length, measuredEvents: measured, seconds, eventsPerSec: measured / seconds };
  } finally {
    await producer.disconnect();
  }
}

/** Creates a topic for the bench (the bus creates its own topics). */
export async function createTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
