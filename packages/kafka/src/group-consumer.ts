import type { ConsumeOptions, DeadLetter, EventHandler } from '@atr/bus';
import type { StoredEvent } from '@atr/contracts';
import type { Admin, Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { HEADER, UndecodableRecordError, decodeEvent, header } from './codec';
import { sendDeadLetter } from './dead-letters';
import type { KafkaNames } from './topics';

export interface GroupConsumerOptions {
  kafka: Kafka;
  names: KafkaNames;
  consume: ConsumeOptions;
  handler: EventHandler;
  /** Full topic names the group subscribes to. */
  topics: string[];
  /** Producer for the dead-letter topic. */
  deadLetterProducer: () => Promise<Producer>;
  maxAttempts: number;
  retryDelayMs: number;
  sessionTimeoutMs: number;
  /** Partitions handled at once (each partition's events in order). */
  partitionsConsumedConcurrently: number;
  onDeadLetter: (letter: DeadLetter | undefined) => void;
  /** The consumer crashed and kafkajs will not restart it (a non-retriable error): start it again. */
  onGivenUp: () => void;
  log: (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

/** Stops a batch part-way: its unresolved records stay uncommitted and are delivered again. */
class Abandon extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GroupLag {
  /** Records consumed (committed offsets) over all partitions. */
  committed: number;
  lag: number;
  /** Per 'topic/partition': end offset, and where the group is (committed, or the earliest offset). */
  ends: Map<string, number>;
  positions: Map<string, number>;
}

/**
 * One bus consumer group as one Kafka consumer group. eachBatch, not eachMessage: the records of
 * a partition are split into journeys (by key) handled side by side, each journey in order; an
 * offset is resolved only once every record before it is handled, and committed after the
 * batch (or sooner), so a crash or a rebalance redelivers only unfinished records — which the
 * idempotent handlers absorb. A record that keeps failing goes to the group's dead-letter topic
 * and its partition moves on.
 */
export class GroupConsumer {
  private consumer?: Consumer;
  private joined = false;
  caughtUp = false;
  private readonly types: Set<string>;

  constructor(private readonly o: GroupConsumerOptions) {
    this.types = new Set(o.consume.types);
  }

  get group(): string {
    return this.o.consume.group;
  }

  get running(): boolean {
    return !!this.consumer && this.joined;
  }

  get topics(): string[] {
    return this.o.topics;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const consumer = this.o.kafka.consumer({
      groupId: this.o.names.groupId(this.group),
      sessionTimeout: this.o.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.o.sessionTimeoutMs / 10)),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      // the broker may be away for a while (restart): keep trying rather than crash the consumer
      retry: { retries: 30, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      this.o.log('error', 'Kafka consumer crashed', { group: this.group, error: String(e.payload.error), restart: e.payload.restart });
      if (!e.payload.restart && this.consumer === consumer) {
        this.consumer = undefined;
        void consumer.disconnect().catch(() => {});
        this.o.onGivenUp();
      }
    });
    await consumer.connect();
    // a group that is new starts at the earliest record: nothing published before it existed is missed
    await consumer.subscribe({ topics: this.o.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Finishes the records in flight (they check isRunning between records), commits, leaves the group. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.joined = false;
    this.caughtUp = false;
    this.target = undefined;
    if (consumer) await consumer.disconnect();
  }

  /**
   * Kafka consumer lag: end offset − committed offset, summed over the partitions of its topics.
   * The group has caught up once when its commits reach the end offsets seen first after it
   * joined (under a steady load the lag itself may never be 0 at the moment someone asks).
   */
  async lag(admin: Admin): Promise<GroupLag> {
    const lag = await groupLag(admin, this.o.names.groupId(this.group), this.o.topics);
    if (this.joined && !this.caughtUp) {
      this.target ??= lag.ends;
      if ([...this.target].every(([key, end]) => (lag.positions.get(key) ?? 0) >= end)) this.caughtUp = true;
    }
    return lag;
  }

  private target?: Map<string, number>;

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const messages = batch.messages;
    const done = new Array<boolean>(messages.length).fill(false);
    let resolved = 0;
    let failure: unknown;
    const stopping = () => failure !== undefined || !isRunning() || isStale();
    const markDone = (index: number) => {
      done[index] = true;
      while (resolved < messages.length && done[resolved]) resolved++;
      if (resolved > 0) resolveOffset(messages[resolved - 1].offset);
    };
    // one lane per journey (record key), in partition order; lanes run side by side
    const lanes = new Map<string, number[]>();
    const concurrency = Math.max(1, this.o.consume.concurrency ?? 1);
    messages.forEach((m, i) => {
      const key = concurrency > 1 ? (m.key?.toString() ?? '') : '';
      const lane = lanes.get(key);
      if (lane) lane.push(i);
      else lanes.set(key, [i]);
    });
    const pending = [...lanes.values()];
    let lastBeat = Date.now();
    const beat = async () => {
      if (Date.now() - lastBeat < 1000) return;
      lastBeat = Date.now();
      await this.o.consume.flush?.();
      await heartbeat();
      await commitOffsetsIfNecessary();
    };
    const worker = async () => {
      for (let lane = pending.shift(); lane; lane = pending.shift()) {
        for (const index of lane) {
          if (stopping()) return;
          try {
            await this.handleRecord(batch, messages[index], stopping, beat);
            markDone(index);
            await beat();
          } catch (error) {
            failure ??= error;
            return;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    await this.o.consume.flush?.();
    // the records resolved so far are committed by kafkajs after the batch, also when it throws
    if (failure !== undefined && !(failure instanceof Abandon)) throw failure;
  }

  /** Handles one record with retries; dead-letters it when they are used up. */
  private async handleRecord(batch: Batch, message: KafkaMessage, stopping: () => boolean, beat: () => Promise<void>): Promise<void> {
    const redriveFor = header(message.headers, HEADER.redriveFor);
    if (redriveFor !== undefined && redriveFor !== this.group) return; // re-driven for another group
    const type = header(message.headers, HEADER.type);
    if (type !== undefined && !this.types.has(type)) return; // another type of the same topic
    let event: StoredEvent;
    try {
      event = decodeEvent(message);
    } catch (error) {
      await this.deadLetter(batch, message, undefined, error as UndecodableRecordError, 1);
      return;
    }
    if (!this.types.has(event.type)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.handler(event);
        return;
      } catch (error) {
        if (attempt >= this.o.maxAttempts) {
          await this.deadLetter(batch, message, event, error, attempt);
          return;
        }
        this.o.log('warn', 'handler failed, retrying', { group: this.group, eventId: event.eventId, type: event.type, attempt, error: String(error) });
        // back off in slices: keep the membership alive, give way at once to a stop or a rebalance
        const until = Date.now() + this.o.retryDelayMs * 2 ** (attempt - 1);
        while (Date.now() < until) {
          if (stopping()) throw new Abandon();
          await sleep(Math.min(100, until - Date.now()));
          await beat();
        }
      }
    }
  }

  private async deadLetter(batch: Batch, message: KafkaMessage, event: StoredEvent | undefined, error: unknown, attempts: number): Promise<void> {
    const producer = await this.o.deadLetterProducer();
    await sendDeadLetter(producer, this.o.names, {
      group: this.group,
      key: message.key,
      value: message.value,
      headers: message.headers,
      error: String(error),
      attempts,
      origin: { topic: batch.topic, partition: batch.partition, offset: message.offset },
    });
    this.o.log('error', 'event dead-lettered', {
      group: this.group,
      eventId: event?.eventId,
      type: event?.type,
      correlationId: event?.correlationId,
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      attempts,
      error: String(error),
    });
    this.o.onDeadLetter(event && { group: this.group, event, error: String(error), attempts, failedAt: new Date().toISOString() });
  }
}

/** End offset − committed offset over every partition of the topics (a group with no commit starts at the earliest). */
export async function groupLag(admin: Admin, groupId: string, topics: string[]): Promise<GroupLag> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const lag: GroupLag = { committed: 0, lag: 0, ends: new Map(), positions: new Map() };
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const at = Number(offsets.find((p) => p.partition === end.partition)?.offset ?? -1);
      const from = at < 0 ? Number(end.low) : at;
      lag.lag += Math.max(0, Number(end.high) - from);
      lag.committed += Math.max(0, at);
      lag.ends.set(`${topic}/${end.partition}`, Number(end.high));
      lag.positions.set(`${topic}/${end.partition}`, from);
    }
  }
  return lag;
}
