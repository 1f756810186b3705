import type { DeadLetter } from '@atr/bus';
import type { StoredEvent } from '@atr/contracts';
import type { Admin, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { HEADER, decodeEvent, header } from './codec';
import type { KafkaNames } from './topics';

/** Where a dead-lettered record came from. */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
}

/** A record read back from a dead-letter topic. */
export interface DeadLetterRecord {
  group: string;
  /** The original record's key, value and headers (without the dead-letter headers). */
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  error: string;
  attempts: number;
  failedAt: string;
  origin: RecordOrigin;
  /** Position in the dead-letter topic. */
  partition: number;
  offset: string;
}

const DLT_HEADERS = new Set<string>([HEADER.error, HEADER.group, HEADER.attempts, HEADER.failedAt, HEADER.topic, HEADER.partition, HEADER.offset, HEADER.redriveFor]);

/**
 * Writes a poison record to its group's dead-letter topic, value and key unchanged, with why,
 * where from and after how many attempts in headers. Resolves once the broker has it (acks =
 * all): only then may the consumer commit past the original.
 */
export async function sendDeadLetter(
  producer: Producer,
  names: KafkaNames,
  letter: { group: string; key: Buffer | null; value: Buffer | null; headers?: IHeaders; error: string; attempts: number; origin: RecordOrigin },
): Promise<void> {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(letter.headers ?? {})) if (!DLT_HEADERS.has(name) && value !== undefined) headers[name] = value;
  await producer.send({
    topic: names.deadLetterTopic(letter.group),
    acks: -1,
    messages: [
      {
        key: letter.key,
        value: letter.value,
        headers: {
          ...headers,
          [HEADER.error]: letter.error.slice(0, 2000),
          [HEADER.group]: letter.group,
          [HEADER.attempts]: String(letter.attempts),
          [HEADER.failedAt]: new Date().toISOString(),
          [HEADER.topic]: letter.origin.topic,
          [HEADER.partition]: String(letter.origin.partition),
          [HEADER.offset]: letter.origin.offset,
        },
      },
    ],
  });
}

export function readDeadLetterRecord(group: string, partition: number, message: KafkaMessage): DeadLetterRecord {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (!DLT_HEADERS.has(name) && value !== undefined) headers[name] = value;
  return {
    group,
    key: message.key,
    value: message.value,
    headers,
    error: header(message.headers, HEADER.error) ?? '',
    attempts: Number(header(message.headers, HEADER.attempts) ?? 0),
    failedAt: header(message.headers, HEADER.failedAt) ?? new Date(Number(message.timestamp)).toISOString(),
    origin: {
      topic: header(message.headers, HEADER.topic) ?? '',
      partition: Number(header(message.headers, HEADER.partition) ?? 0),
      offset: header(message.headers, HEADER.offset) ?? '',
    },
    partition,
    offset: message.offset,
  };
}

/** The bus port's view of a dead letter, when its value is a readable event. */
export function asDeadLetter(record: DeadLetterRecord): DeadLetter | undefined {
  let event: StoredEvent;
  try {
    event = decodeEvent(record);
  } catch {
    return undefined;
  }
  return { group: record.group, event, error: record.error, attempts: record.attempts, failedAt: record.failedAt };
}

/** Dead letters not yet re-driven: the dead-letter topic's end minus the re-drive cursor. */
export async function pendingDeadLetters(admin: Admin, names: KafkaNames, group: string): Promise<number> {
  const topic = names.deadLetterTopic(group);
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: names.redriveGroupId(group), topics: [topic] }),
  ]);
  const cursor = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((sum, p) => {
    const at = cursor.get(p.partition) ?? -1;
    return sum + Number(p.high) - (at < 0 ? Number(p.low) : at);
  }, 0);
}

/**
 * Reads a group's dead letters not yet re-driven (from the re-drive cursor to the end as it is
 * now), hands each to `handle`, and moves the cursor past it once `handle` resolved. Re-drives
 * share the cursor, so one dead letter is re-driven once, by the bus or by the command.
 */
export async function drainDeadLetters(
  kafka: Kafka,
  admin: Admin,
  names: KafkaNames,
  group: string,
  handle: (record: DeadLetterRecord) => Promise<void>,
  timeoutMs = 60_000,
): Promise<number> {
  const topic = names.deadLetterTopic(group);
  if ((await pendingDeadLetters(admin, names, group)) === 0) return 0;
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  const committed = (await admin.fetchOffsets({ groupId: names.redriveGroupId(group), topics: [topic] }))[0]?.partitions ?? [];
  const reached = new Map<number, boolean>();
  for (const [partition, end] of ends) {
    const at = Number(committed.find((p) => p.partition === partition)?.offset ?? -1);
    reached.set(partition, end === 0 || at >= end);
  }
  const consumer = kafka.consumer({ groupId: names.redriveGroupId(group), allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  let handled = 0;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const check = () => {
    if ([...reached.values()].every(Boolean)) finish();
  };
  const timer = setTimeout(() => fail(new Error(`re-driving ${topic} did not finish within ${timeoutMs} ms`)), timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const end = ends.get(batch.partition) ?? 0;
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) return;
          if (Number(message.offset) >= end) break; // arrived after the re-drive began: the next one takes it
          await handle(readDeadLetterRecord(group, batch.partition, message));
          handled++;
          resolveOffset(message.offset);
          await commitOffsetsIfNecessary();
          await heartbeat();
          if (Number(message.offset) + 1 >= end) reached.set(batch.partition, true);
        }
        check();
      },
    });
    check();
    await finished;
    return handled;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
  }
}
