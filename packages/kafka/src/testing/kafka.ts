import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

/** The broker the jest global setup started (or KAFKA_BROKERS), if any. */
export const testBrokers = (): string[] | undefined => process.env.KAFKA_BROKERS?.split(',').filter(Boolean);

/**
 * describe() for suites that need the broker. Without one (only possible outside CI: under
 * CI=true the global setup fails the run instead) the suite shows as skipped with the reason.
 */
export function describeWithKafka(name: string, suite: () => void): void {
  if (testBrokers()) describe(name, suite);
  else describe(name, () => it.skip(`needs a Kafka broker: ${process.env.KAFKA_TESTS_SKIPPED ?? 'none started'}`, () => {}));
}

/** A topic prefix of its own per test: tests share one broker without seeing each other's records. */
export const uniquePrefix = (label = 't') => `${label}${randomBytes(4).toString('hex')}.`;

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Every record of a topic, read through a throwaway consumer group (test assertions only). */
export async function readTopic(brokers: string[], topic: string, expected: number, timeoutMs = 20_000): Promise<ReadRecord[]> {
  const kafka = new Kafka({ clientId: 'test-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  const records: ReadRecord[] = [];
  const asRecord = (partition: number, m: KafkaMessage): ReadRecord => ({
    partition,
    offset: m.offset,
    key: m.key?.toString() ?? null,
    value: m.value?.toString() ?? null,
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)])),
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void records.push(asRecord(partition, message)) });
    const deadline = Date.now() + timeoutMs;
    while (records.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200)); // anything beyond the expected count shows too
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** Publishes raw records (a poison record that no relay would write). */
export async function publishRaw(brokers: string[], topic: string, messages: { key: string; value: string; headers?: Record<string, string> }[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-writer', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}
