import type { StoredEvent } from '@atr/contracts';
import type { CheckpointStore, EventStore, Subscription } from '@atr/event-store';
import { CoalescingCheckpoints } from './coalescing-checkpoints';
import type { ConsumeOptions, ConsumerStatus, DeadLetter, DeadLetterStore, EventHandler, MessageBus } from './port';

export interface InProcessBusOptions {
  store: EventStore;
  checkpoints: CheckpointStore;
  /** Attempts per event before it is dead-lettered (transient errors get retried). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. */
  retryDelayMs?: number;
  batchSize?: number;
  /**
   * Checkpoints are saved together at most this often (default 100 ms; 0: after every batch).
   * See CoalescingCheckpoints: a crash redelivers what the last save did not record.
   */
  checkpointEveryMs?: number;
  /**
   * Called after each batch with the milliseconds it took; the next batch of that group waits
   * for it (the consumer thread yields to a busy HTTP thread this way).
   */
  pace?: (handledMs: number) => Promise<void>;
  /** Keeps dead letters across restarts; in memory only when absent. */
  deadLetters?: DeadLetterStore;
  log?: (level: 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

interface Consumer {
  options: ConsumeOptions;
  handler: EventHandler;
  subscription?: Subscription;
  checkpoint: number;
  caughtUp: boolean;
  paused: boolean;
  /** Set while the subscription is being opened (settled() waits for it). */
  starting?: Promise<void>;
}

/** How far a group has seen the log: delivered, or filtered out by the store. */
const seen = (c: Consumer) => Math.max(c.checkpoint, c.subscription?.scannedPosition ?? 0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Embedded mode: the event store is the outbox and the log itself is the transport. Each group
 * is a checkpointed store subscription; a checkpoint is recorded once its batch is handled (and
 * saved with the others a moment later), so a crash redelivers only what was handled since the
 * last save, which idempotent handlers absorb.
 */
export class InProcessBus implements MessageBus {
  private readonly consumers = new Map<string, Consumer>();
  private readonly dead: DeadLetter[];
  private started = false;
  private readonly checkpoints: CheckpointStore & { flush?: () => Promise<void> };

  constructor(private readonly options: InProcessBusOptions) {
    this.dead = options.deadLetters?.load() ?? [];
    const every = options.checkpointEveryMs ?? 100;
    this.checkpoints = every > 0 ? new CoalescingCheckpoints(options.checkpoints, every) : options.checkpoints;
  }

  consume(options: ConsumeOptions, handler: EventHandler): void {
    if (this.consumers.has(options.group)) throw new Error(`consumer group ${options.group} is registered twice`);
    const consumer: Consumer = { options, handler, checkpoint: 0, caughtUp: false, paused: false };
    this.consumers.set(options.group, consumer);
    if (this.started) void this.startConsumer(consumer);
  }

  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.consumers.values()].map((c) => this.startConsumer(c)));
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.consumers.values()].map((c) => this.stopConsumer(c)));
    await this.checkpoints.flush?.();
  }

  async settled(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((c) => c.starting));
    const head = await this.options.store.headPosition();
    for (;;) {
      const behind = [...this.consumers.values()].filter((c) => !c.paused && c.subscription && seen(c) < head);
      if (behind.length === 0) break;
      await sleep(5);
    }
    await this.checkpoints.flush?.(); // at rest means recorded too: a restart would not redeliver
  }

  async status(): Promise<ConsumerStatus[]> {
    const head = await this.options.store.headPosition();
    return [...this.consumers.values()].map((c) => ({
      group: c.options.group,
      types: c.options.types,
      checkpoint: seen(c),
      lag: Math.max(0, head - seen(c)),
      caughtUp: c.caughtUp,
      deadLetters: this.dead.filter((d) => d.group === c.options.group).length,
      running: !!c.subscription && !c.paused,
    }));
  }

  deadLetters(): DeadLetter[] {
    return [...this.dead];
  }

  async redrive(group?: string): Promise<number> {
    let ok = 0;
    for (const letter of [...this.dead]) {
      if (group && letter.group !== group) continue;
      const consumer = this.consumers.get(letter.group);
      if (!consumer) continue;
      try {
        await consumer.handler(letter.event);
        await consumer.options.flush?.();
        this.dead.splice(this.dead.indexOf(letter), 1);
        this.options.deadLetters?.remove(letter);
        ok++;
      } catch (error) {
        letter.error = String(error);
        letter.attempts++;
        this.options.deadLetters?.save(letter);
      }
    }
    return ok;
  }

  async pause(group: string): Promise<void> {
    const consumer = this.mustGet(group);
    consumer.paused = true;
    await this.stopConsumer(consumer);
  }

  resume(group: string): void {
    const consumer = this.mustGet(group);
    consumer.paused = false;
    if (this.started) void this.startConsumer(consumer);
  }

  private mustGet(group: string): Consumer {
    const consumer = this.consumers.get(group);
    if (!consumer) throw new Error(`no consumer group ${group}`);
    return consumer;
  }

  private startConsumer(consumer: Consumer): Promise<void> {
    consumer.starting ??= this.openSubscription(consumer).finally(() => (consumer.starting = undefined));
    return consumer.starting;
  }

  private async openSubscription(consumer: Consumer): Promise<void> {
    if (consumer.subscription || consumer.paused) return;
    const { group, types, startAfter } = consumer.options;
    const saved = await this.checkpoints.load(group);
    const floor = startAfter ? await startAfter() : 0;
    if (consumer.paused || !this.started) return; // paused or stopped meanwhile
    consumer.checkpoint = Math.max(saved, floor);
    consumer.caughtUp = false;
    const subscription = this.options.store.subscribe(
      { from: consumer.checkpoint, types, name: group, batchSize: this.options.batchSize ?? 500 },
      async (events) => {
        const began = performance.now();
        if ((consumer.options.concurrency ?? 1) > 1) await this.deliverByJourney(consumer, events);
        else await this.deliverInOrder(consumer, events);
        await consumer.options.flush?.();
        const last = events[events.length - 1].globalPosition;
        await this.checkpoints.save(group, last);
        consumer.checkpoint = last;
        await this.options.pace?.(performance.now() - began);
      },
    );
    consumer.subscription = subscription;
    void subscription.caughtUp.then(() => {
      consumer.caughtUp = true;
    });
    subscription.done.catch((error) => this.log('error', 'consumer stopped', { group, error: String(error) }));
  }

  private async stopConsumer(consumer: Consumer): Promise<void> {
    await consumer.starting;
    const subscription = consumer.subscription;
    consumer.subscription = undefined;
    if (!subscription) return;
    await subscription.stop();
    // the filtered-out tail need not be scanned again after a restart
    if (subscription.scannedPosition > consumer.checkpoint) {
      consumer.checkpoint = subscription.scannedPosition;
      await this.checkpoints.save(consumer.options.group, consumer.checkpoint);
    }
  }

  private async deliverInOrder(consumer: Consumer, events: StoredEvent[]): Promise<void> {
    let slice = Date.now();
    for (const event of events) {
      await this.deliver(consumer, event);
      // handlers that finish synchronously (read models) would otherwise hold the event loop
      // for a whole batch; give HTTP requests a turn every few milliseconds
      if (Date.now() - slice > 4) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = Date.now();
      }
    }
  }

  /** Journeys in parallel lanes, each journey's events in order: its appends share group commits. */
  private async deliverByJourney(consumer: Consumer, events: StoredEvent[]): Promise<void> {
    const lanes = new Map<string, StoredEvent[]>();
    for (const event of events) {
      const lane = lanes.get(event.correlationId);
      if (lane) lane.push(event);
      else lanes.set(event.correlationId, [event]);
    }
    const pending = [...lanes.values()];
    const workers = Math.min(consumer.options.concurrency ?? 1, pending.length);
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let lane = pending.shift(); lane; lane = pending.shift()) {
          for (const event of lane) await this.deliver(consumer, event);
        }
      }),
    );
  }

  /** Retries with backoff; an event that still fails is dead-lettered so later events flow. */
  private async deliver(consumer: Consumer, event: StoredEvent): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        await consumer.handler(event);
        return;
      } catch (error) {
        if (attempt >= maxAttempts) {
          const letter: DeadLetter = { group: consumer.options.group, event, error: String(error), attempts: attempt, failedAt: new Date().toISOString() };
          // kept before the checkpoint moves past the event: a dead letter survives a restart
          this.options.deadLetters?.save(letter);
          this.dead.push(letter);
          this.log('error', 'event dead-lettered', { group: consumer.options.group, eventId: event.eventId, type: event.type, correlationId: event.correlationId, error: String(error) });
          return;
        }
        this.log('warn', 'handler failed, retrying', { group: consumer.options.group, eventId: event.eventId, attempt, error: String(error) });
        await sleep((this.options.retryDelayMs ?? 20) * 2 ** (attempt - 1));
      }
    }
  }

  private log(level: 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    this.options.log?.(level, message, fields);
  }
}
