import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { HEADER } from './codec';
import { drainDeadLetters } from './dead-letters';
import { KafkaNames } from './topics';

export interface RedriveCommandOptions {
  brokers: string[];
  topicPrefix: string;
  clientId?: string;
  group: string;
  timeoutMs?: number;
}

/**
 * The operator's re-drive (`npm run dlt:redrive -- --group police:inbox`), run after a fix:
 * every dead letter of the group not yet re-driven goes back onto its original topic, marked
 * for that group only (the other groups of the topic skip it), and the running service handles
 * it like any record — retries, and the dead-letter topic again if it still fails. Resolves
 * with how many were re-published.
 */
export async function redriveDeadLetterTopic(o: RedriveCommandOptions): Promise<number> {
  const names = new KafkaNames(o.topicPrefix);
  const kafka = new Kafka({ clientId: o.clientId ?? 'atr-dlt-redrive', brokers: o.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    return await drainDeadLetters(
      kafka,
      admin,
      names,
      o.group,
      async (record) => {
        if (!record.origin.topic) throw new Error(`dead letter at offset ${record.offset} names no original topic`);
        await producer.send({
          topic: record.origin.topic,
          acks: -1,
          messages: [{ key: record.key, value: record.value, headers: { ...record.headers, [HEADER.redriveFor]: o.group } }],
        });
      },
      o.timeoutMs,
    );
  } finally {
    await Promise.all([producer.disconnect(), admin.disconnect()]).catch(() => {});
  }
}
