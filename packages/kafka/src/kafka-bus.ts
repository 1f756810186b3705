import { CoalescingCheckpoints, InProcessBus, type ConsumeOptions, type ConsumerStatus, type DeadLetter, type DeadLetterStore, type EventHandler, type MessageBus } from '@atr/bus';
import type { ServiceName } from '@atr/contracts';
import type { CheckpointStore, EventStore } from '@atr/event-store';
import { Kafka, logLevel, Partitioners, type Admin, type ITopicConfig, type LogEntry, type Producer } from 'kafkajs';
import { decodeEvent } from './codec';
import { asDeadLetter, drainDeadLetters, pendingDeadLetters, sendDeadLetter, type DeadLetterRecord } from './dead-letters';
import { GroupConsumer, groupLag } from './group-consumer';
import { Relay, relayName } from './relay';
import { KafkaNames, ownerOf, TOPICS, topicOf, type TopicCatalogue } from './topics';

export interface KafkaBusOptions {
  /** The service this process runs: the types it writes are its own, the others are received. */
  service: ServiceName;
  store: EventStore;
  checkpoints: CheckpointStore;
  brokers: string[];
  clientId?: string;
  /** Prefix of every topic and group id of this deployment. */
  topicPrefix?: string;
  /** Partitions of the hand-off topics when the bus creates them. */
  partitions?: number;
  sessionTimeoutMs?: number;
  /** Attempts per event before it is dead-lettered (transient errors get retried). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. */
  retryDelayMs?: number;
  catalogue?: TopicCatalogue;
  /** Keeps dead letters of the store-fed groups (own read models) across restarts. */
  deadLetters?: DeadLetterStore;
  /** Show every hand-off group and relay of the deployment in overview() (the audit service). */
  observeAll?: boolean;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

/** createTopics fails for a topic another service created meanwhile: that is what we wanted. */
function unlessAlreadyExists(error: unknown): void {
  const errors = (error as { errors?: { type?: string }[] }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS')) return;
  if ((error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return;
  throw error;
}

/** A consumer or relay status, with where it reads from. */
export interface TransportStatus extends ConsumerStatus {
  transport: 'store' | 'kafka' | 'relay';
  topics?: string[];
}

/**
 * Distributed mode's bus. Which transport a consumer group gets follows from the event
 * catalogue: a group whose types are all written by this service (its own read models, the
 * referral router) reads the store directly, as in embedded mode — they are not hand-offs; a
 * group whose types are written by other services receives them from Kafka only. A group may
 * not mix the two. The service's own hand-off events reach Kafka through its relay. The audit
 * service receives no hand-offs: its read models (the oversight reports) read the whole log.
 */
export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly names: KafkaNames;
  private readonly catalogue: TopicCatalogue;
  private readonly local: InProcessBus;
  private readonly groups = new Map<string, GroupConsumer>();
  private readonly relay: Relay;
  private readonly dead: DeadLetter[] = [];
  private admin?: Admin;
  private producer?: Promise<Producer>;
  private started = false;
  private readonly observedRelays = new Map<string, { checkpoint: number; at: number }>();
  private readonly handlers = new Map<string, EventHandler>();
  private readonly typesOf = new Map<string, readonly string[]>();
  private readonly checkpoints: CoalescingCheckpoints;

  constructor(private readonly o: KafkaBusOptions) {
    this.names = new KafkaNames(o.topicPrefix ?? '');
    this.catalogue = o.catalogue ?? TOPICS;
    this.kafka = new Kafka({
      clientId: o.clientId ?? `atr-${o.service}`,
      brokers: o.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.kafkaLog(entry),
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.checkpoints = new CoalescingCheckpoints(o.checkpoints);
    this.local = new InProcessBus({
      store: o.store,
      checkpoints: this.checkpoints,
      checkpointEveryMs: 0, // this.checkpoints coalesces already, for the relay too
      deadLetters: o.deadLetters,
      maxAttempts: o.maxAttempts,
      retryDelayMs: o.retryDelayMs,
      log: (level, message, fields) => this.log(level, message, fields),
    });
    this.relay = new Relay({ service: o.service, store: o.store, checkpoints: this.checkpoints, kafka: this.kafka, names: this.names, catalogue: this.catalogue, log: (l, m, f) => this.log(l, m, f) });
  }

  consume(options: ConsumeOptions, handler: EventHandler): void {
    if (this.groups.has(options.group)) throw new Error(`consumer group ${options.group} is registered twice`);
    // oversight reads the whole log by design (its reports are a read model of every service's
    // events, not hand-offs): the audit service's groups read the store
    const received = this.o.service === 'audit' ? [] : options.types.filter((type) => !this.isOwn(type));
    if (received.length === 0) return this.local.consume(options, handler);
    if (received.length < options.types.length) {
      throw new Error(
        `consumer group ${options.group} mixes events written by ${this.o.service} with events received from other services (${received.join(', ')}); ` +
          'split it: a group reads either its own events from the store or hand-offs from Kafka',
      );
    }
    const topics = new Set<string>();
    for (const type of options.types) {
      const topic = topicOf(this.catalogue, type);
      if (!topic) throw new Error(`consumer group ${options.group} receives ${type} from ${ownerOf(type) ?? 'an unknown service'}, but no Kafka topic carries it (packages/kafka/src/topics.ts)`);
      if (!topic.consumers.includes(options.group)) {
        throw new Error(`consumer group ${options.group} is not a documented consumer of topic ${topic.name} (add it to packages/kafka/src/topics.ts)`);
      }
      topics.add(this.names.topic(topic));
    }
    const group = new GroupConsumer({
      kafka: this.kafka,
      names: this.names,
      consume: options,
      handler,
      topics: [...topics],
      deadLetterProducer: () => this.deadLetterProducer(),
      maxAttempts: this.o.maxAttempts ?? 5,
      retryDelayMs: this.o.retryDelayMs ?? 100,
      sessionTimeoutMs: this.o.sessionTimeoutMs ?? 10_000,
      partitionsConsumedConcurrently: Math.max(1, this.o.partitions ?? 4),
      onDeadLetter: (letter) => letter && this.dead.push(letter),
      onGivenUp: () => {
        if (this.started) void this.startGroup(group);
      },
      log: (l, m, f) => this.log(l, m, f),
    });
    this.groups.set(options.group, group);
    // a re-driven event is made durable by the consumer before its dead letter is dropped
    this.handlers.set(options.group, async (event) => {
      await handler(event);
      await options.flush?.();
    });
    this.typesOf.set(options.group, options.types);
    if (this.started) void this.startGroup(group);
  }

  async start(): Promise<void> {
    this.started = true;
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.ensureTopics();
    await this.local.start();
    await this.relay.start();
    // joining a group takes a few seconds: HTTP serves meanwhile, and /ready says when they are in
    for (const group of this.groups.values()) void this.startGroup(group);
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.groups.values()].map((g) => g.stop()));
    await this.relay.stop();
    await this.local.stop();
    await this.checkpoints.flush();
    const producer = this.producer;
    this.producer = undefined;
    await (await producer?.catch(() => undefined))?.disconnect();
    await this.admin?.disconnect();
    this.admin = undefined;
  }

  /** This process's relay has published the store up to its head now, and every Kafka group has consumed its topics to their end now. */
  async settled(): Promise<void> {
    const head = await this.o.store.headPosition();
    await Promise.all([this.local.settled(), this.relay.settled(head)]);
    for (const group of this.groups.values()) {
      if (!group.running) continue;
      while ((await group.lag(this.mustAdmin())).lag > 0 && group.running) await new Promise((r) => setTimeout(r, 20));
    }
  }

  async status(): Promise<TransportStatus[]> {
    const head = await this.o.store.headPosition();
    const local = (await this.local.status()).map((s) => ({ ...s, transport: 'store' as const }));
    const groups = await Promise.all([...this.groups.values()].map((g) => this.groupStatus(g)));
    const relay = this.relay.types.length > 0 ? [this.relayStatus(await this.relay.status(head))] : [];
    return [...local, ...groups, ...relay];
  }

  /**
   * Every hand-off group (Kafka lag from the broker) and every service's relay (its checkpoint
   * in the store) of the deployment, as far as this process can see them; with observeAll only.
   * A relay seen from outside counts as running while it is caught up or its checkpoint moves.
   */
  async overview(): Promise<TransportStatus[]> {
    const mine = await this.status();
    if (!this.o.observeAll) return mine;
    const known = new Set(mine.map((s) => s.group));
    const admin = this.mustAdmin();
    const head = await this.o.store.headPosition();
    const observed: TransportStatus[] = [];
    for (const topic of this.catalogue) {
      for (const group of topic.consumers) {
        if (known.has(group)) continue;
        known.add(group);
        const topics = this.catalogue.filter((t) => t.consumers.includes(group));
        const groupId = this.names.groupId(group);
        const [lag, description, deadLetters] = await Promise.all([
          groupLag(admin, groupId, topics.map((t) => this.names.topic(t))),
          admin.describeGroups([groupId]),
          pendingDeadLetters(admin, this.names, group).catch(() => 0),
        ]);
        const members = description.groups[0]?.members.length ?? 0;
        observed.push({
          group,
          types: topics.flatMap((t) => t.types),
          checkpoint: lag.committed,
          lag: lag.lag,
          caughtUp: lag.lag === 0,
          running: members > 0,
          deadLetters,
          transport: 'kafka',
          topics: topics.map((t) => this.names.topic(t)),
        });
      }
    }
    for (const service of new Set(this.catalogue.map((t) => t.producer))) {
      const name = relayName(service);
      if (known.has(name)) continue;
      const checkpoint = await this.o.checkpoints.load(name);
      const before = this.observedRelays.get(name);
      const now = Date.now();
      if (!before || before.checkpoint !== checkpoint) this.observedRelays.set(name, { checkpoint, at: now });
      const lag = Math.max(0, head - checkpoint);
      const moving = !!before && before.checkpoint !== checkpoint;
      observed.push({
        group: name,
        types: this.catalogue.filter((t) => t.producer === service).flatMap((t) => t.types),
        checkpoint,
        lag,
        caughtUp: lag === 0,
        running: lag === 0 || moving,
        deadLetters: 0,
        transport: 'relay',
        topics: this.catalogue.filter((t) => t.producer === service).map((t) => this.names.topic(t)),
      });
    }
    return [...mine, ...observed];
  }

  deadLetters(): DeadLetter[] {
    return [...this.local.deadLetters(), ...this.dead];
  }

  /**
   * Re-runs the handler for every dead letter not yet re-driven (from the dead-letter topics of
   * this process's Kafka groups, and the store-fed groups' own dead letters). One that fails
   * again after its retries goes back to the dead-letter topic with its attempts added up.
   */
  async redrive(group?: string): Promise<number> {
    let ok = await this.local.redrive(group);
    for (const consumer of this.groups.values()) {
      if (group && consumer.group !== group) continue;
      const handler = this.handlerOf(consumer.group);
      await drainDeadLetters(this.kafka, this.mustAdmin(), this.names, consumer.group, async (record) => {
        if (await this.redriveOne(consumer.group, handler, record)) ok++;
      });
    }
    return ok;
  }

  async pause(group: string): Promise<void> {
    const consumer = this.groups.get(group);
    if (consumer) await consumer.stop();
    else await this.local.pause(group);
  }

  resume(group: string): void {
    const consumer = this.groups.get(group);
    if (consumer) {
      if (this.started) void this.startGroup(consumer);
    } else this.local.resume(group);
  }

  private handlerOf(group: string): EventHandler {
    return this.handlers.get(group)!;
  }

  private async redriveOne(group: string, handler: EventHandler, record: DeadLetterRecord): Promise<boolean> {
    const maxAttempts = this.o.maxAttempts ?? 5;
    let error: unknown;
    try {
      const event = decodeEvent(record);
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
          await handler(event);
          this.forget(group, event.eventId);
          return true;
        } catch (e) {
          error = e;
          if (attempt < maxAttempts) await new Promise((r) => setTimeout(r, (this.o.retryDelayMs ?? 100) * 2 ** (attempt - 1)));
        }
      }
    } catch (e) {
      error = e; // still not a readable event
    }
    await sendDeadLetter(await this.deadLetterProducer(), this.names, {
      group,
      key: record.key,
      value: record.value,
      headers: record.headers,
      error: String(error),
      attempts: record.attempts + maxAttempts,
      origin: record.origin,
    });
    const letter = asDeadLetter({ ...record, error: String(error), attempts: record.attempts + maxAttempts });
    this.forget(group, letter?.event.eventId);
    if (letter) this.dead.push(letter);
    return false;
  }

  private forget(group: string, eventId: string | undefined): void {
    const index = this.dead.findIndex((d) => d.group === group && d.event.eventId === eventId);
    if (index >= 0) this.dead.splice(index, 1);
  }

  /** Written by this service: in the event catalogue, or carried by a topic it produces. */
  private isOwn(type: string): boolean {
    return ownerOf(type) === this.o.service || topicOf(this.catalogue, type)?.producer === this.o.service;
  }

  /** Joins the group; a broker that is not there yet is waited for (readiness says so meanwhile). */
  private async startGroup(group: GroupConsumer): Promise<void> {
    for (let attempt = 1; this.started; attempt++) {
      try {
        await group.start();
        return;
      } catch (error) {
        await group.stop().catch(() => {});
        this.log(attempt > 3 ? 'error' : 'warn', 'Kafka consumer group could not start; retrying', { group: group.group, attempt, error: String(error) });
        await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
      }
    }
  }

  private async groupStatus(group: GroupConsumer): Promise<TransportStatus> {
    const admin = this.mustAdmin();
    const [lag, deadLetters] = await Promise.all([group.lag(admin), pendingDeadLetters(admin, this.names, group.group).catch(() => 0)]);
    return {
      group: group.group,
      types: [...(this.typesOf.get(group.group) ?? [])],
      checkpoint: lag.committed,
      lag: lag.lag,
      caughtUp: group.caughtUp,
      deadLetters,
      running: group.running,
      transport: 'kafka',
      topics: group.topics,
    };
  }

  private relayStatus(s: Awaited<ReturnType<Relay['status']>>): TransportStatus {
    return { group: s.name, types: s.types, checkpoint: s.checkpoint, lag: s.lag, caughtUp: s.caughtUp, running: s.running, deadLetters: 0, transport: 'relay', topics: this.relay.topics };
  }

  /** Creates this service's topics (hand-offs it publishes or receives, its groups' dead-letter topics) when missing. */
  private async ensureTopics(): Promise<void> {
    const partitions = Math.max(1, this.o.partitions ?? 4);
    const wanted: ITopicConfig[] = [
      ...this.relay.topics.map((topic) => ({ topic, numPartitions: partitions })),
      ...[...this.groups.values()].flatMap((g) => g.topics.map((topic) => ({ topic, numPartitions: partitions }))),
      // one partition: dead letters are few, and kept in the order they failed
      ...[...this.groups.values()].map((g) => ({ topic: this.names.deadLetterTopic(g.group), numPartitions: 1 })),
    ];
    const topics = [...new Set(wanted.map((t) => t.topic))];
    if (topics.length === 0) return; // the audit service: it reads the store, and Kafka only to report
    const admin = this.mustAdmin();
    // services start together and create the topics they share at the same moment: retry until
    // every topic exists and every partition has a leader
    const deadline = Date.now() + 60_000;
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = [...new Map(wanted.filter((t) => !existing.has(t.topic)).map((t) => [t.topic, t])).values()];
        if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: false }).catch(unlessAlreadyExists);
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        if (metadata.length === topics.length && metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
        throw new Error('topics without a leader yet');
      } catch (error) {
        if (Date.now() > deadline) throw error;
        this.log('info', 'waiting for the Kafka topics', { attempt, error: String(error) });
        await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2_000)));
      }
    }
  }

  private deadLetterProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      return producer;
    })();
    this.producer.catch(() => (this.producer = undefined));
    return this.producer;
  }

  private mustAdmin(): Admin {
    if (!this.admin) throw new Error('the Kafka bus is not started');
    return this.admin;
  }

  private kafkaLog(entry: LogEntry): void {
    const { message, ...fields } = entry.log;
    // kafkajs logs a broker restart as errors while it retries; the bus reports what it gives up on
    this.log(entry.level <= logLevel.ERROR ? 'warn' : 'info', `kafkajs: ${message}`, { ...fields, namespace: entry.namespace });
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    this.o.log?.(level, message, fields);
  }
}

