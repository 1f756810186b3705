import type { ServiceName, StoredEvent } from '@atr/contracts';
import type { CheckpointStore, EventStore, Subscription } from '@atr/event-store';
import { Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { encodeEvent } from './codec';
import { topicsProducedBy, type KafkaNames, type TopicCatalogue } from './topics';

export interface RelayOptions {
  service: ServiceName;
  store: EventStore;
  checkpoints: CheckpointStore;
  kafka: Kafka;
  names: KafkaNames;
  catalogue: TopicCatalogue;
  /** Events per Kafka batch (one store page). */
  batchSize?: number;
  /** First pause after a failed publish; doubles up to 10 s. */
  retryDelayMs?: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

export interface RelayStatus {
  name: string;
  types: string[];
  /** Everything at or before this position is published or is not a hand-off of this service. */
  checkpoint: number;
  lag: number;
  caughtUp: boolean;
  running: boolean;
  published: number;
  lastError?: string;
}

const relayName = (service: ServiceName) => `relay:${service}`;

/**
 * The outbox relay: no service writes to Kafka and to the store in one step. A service appends
 * to its own streams only; this checkpointed subscription over the store publishes the
 * service's hand-off events to their topics, in log order, and moves its checkpoint only after
 * Kafka acknowledged the whole batch (acks = all). A crash between the two publishes the batch
 * again: consumers are idempotent. A failed publish restarts the subscription from the
 * checkpoint with a fresh producer (after a broker restart the idempotent producer's sequence
 * state may be stale).
 */
export class Relay {
  readonly name: string;
  readonly types: string[];
  private readonly topicOfType = new Map<string, string>();
  private producer?: Producer;
  private subscription?: Subscription;
  private loop?: Promise<void>;
  private running = false;
  private wake?: () => void;
  private persisted = 0;
  private timer?: NodeJS.Timeout;
  private state = { caughtUp: false, published: 0, lastError: undefined as string | undefined, checkpoint: 0 };

  constructor(private readonly o: RelayOptions) {
    this.name = relayName(o.service);
    for (const topic of topicsProducedBy(o.catalogue, o.service)) {
      for (const type of topic.types) this.topicOfType.set(type, o.names.topic(topic));
    }
    this.types = [...this.topicOfType.keys()];
  }

  /** Topics this relay publishes to (full names). */
  get topics(): string[] {
    return [...new Set(this.topicOfType.values())];
  }

  async start(): Promise<void> {
    if (this.running || this.types.length === 0) return;
    this.running = true;
    this.state.checkpoint = this.persisted = await this.o.checkpoints.load(this.name);
    this.loop = this.run();
    // The scanned position moves over other services' events without a publish; saving it now
    // and then keeps a restart (and an observer's lag) from counting them again.
    this.timer = setInterval(() => void this.saveScanned(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    this.wake?.();
    await this.subscription?.stop();
    await this.loop;
    await this.saveScanned();
    await this.disconnect();
  }

  async status(head: number): Promise<RelayStatus> {
    const checkpoint = this.position();
    return {
      name: this.name,
      types: this.types,
      checkpoint,
      lag: Math.max(0, head - checkpoint),
      caughtUp: this.state.caughtUp,
      running: this.running && !!this.subscription,
      published: this.state.published,
      ...(this.state.lastError ? { lastError: this.state.lastError } : {}),
    };
  }

  /** Resolves once everything up to `head` is published (or seen and not a hand-off). */
  async settled(head: number): Promise<void> {
    while (this.running && this.position() < head) await new Promise((r) => setTimeout(r, 5));
  }

  private position(): number {
    return Math.max(this.state.checkpoint, this.subscription?.scannedPosition ?? 0);
  }

  private async run(): Promise<void> {
    let delay = this.o.retryDelayMs ?? 500;
    while (this.running) {
      try {
        this.producer ??= await this.connect();
        const from = Math.max(this.state.checkpoint, await this.o.checkpoints.load(this.name));
        const subscription = this.o.store.subscribe({ from, types: this.types, name: this.name, batchSize: this.o.batchSize ?? 1000 }, (events) => this.publish(events));
        this.subscription = subscription;
        void subscription.caughtUp.then(
          () => (this.state.caughtUp = true),
          () => {},
        );
        await subscription.done;
        this.state.checkpoint = Math.max(this.state.checkpoint, subscription.scannedPosition);
        return; // stopped
      } catch (error) {
        this.subscription = undefined;
        this.state.lastError = String(error);
        this.o.log('warn', 'relay could not publish; retrying from its checkpoint', { relay: this.name, checkpoint: this.state.checkpoint, error: String(error), retryInMs: delay });
        await this.disconnect();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  private async publish(events: StoredEvent[]): Promise<void> {
    const byTopic = new Map<string, TopicMessages>();
    for (const event of events) {
      const topic = this.topicOfType.get(event.type)!;
      let batch = byTopic.get(topic);
      if (!batch) byTopic.set(topic, (batch = { topic, messages: [] }));
      batch.messages.push(encodeEvent(event));
    }
    await this.producer!.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
    const last = events[events.length - 1].globalPosition;
    await this.o.checkpoints.save(this.name, last);
    this.persisted = last;
    this.state.checkpoint = last;
    this.state.published += events.length;
    this.state.lastError = undefined;
  }

  private async connect(): Promise<Producer> {
    const producer = this.o.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // bounded: a long outage fails the batch, and the relay starts over from its checkpoint
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    await producer.connect();
    return producer;
  }

  private async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => {});
  }

  private async saveScanned(): Promise<void> {
    const scanned = this.subscription?.scannedPosition ?? 0;
    if (scanned <= this.persisted) return;
    this.persisted = scanned;
    await this.o.checkpoints.save(this.name, scanned).catch(() => {});
  }
}

export { relayName };
