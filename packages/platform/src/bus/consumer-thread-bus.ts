import { Worker, type Transferable } from 'node:worker_threads';
import type { RequestPressure } from './request-pressure';
import type { ConsumeOptions, ConsumerStatus, DeadLetter, DeadLetterStore, MessageBus } from '@atr/bus';

/** What the HTTP thread asks of the consumer thread; each answer comes back under the same id. */
export type ConsumerThreadRequest = { method: 'settled' | 'status' } | { method: 'redrive'; group?: string } | { method: 'pause' | 'resume'; group: string };
export type ConsumerThreadCall = ConsumerThreadRequest & { id: number };

/** What the consumer thread posts: started (or failed to), and answers. */
export type ConsumerThreadMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; error: string }
  | { kind: 'answer'; id: number; value?: unknown; error?: string };

export interface ConsumerThreadOptions {
  /** The worker's script (and execArgv when it must be compiled on the fly). */
  entry: { file: string; execArgv?: string[] };
  workerData: unknown;
  /** Handed to the worker with workerData (e.g. the port of the store's commit thread). */
  transferList?: Transferable[];
  /** The dead letters the consumer thread keeps (the same file): read here directly. */
  deadLetters: DeadLetterStore;
  /** Where this thread counts its requests for the consumer thread to see (it yields when they are many). */
  pressure?: RequestPressure;
  /** The consumer thread ended without being asked to (it crashed): the process should not go on half alive. */
  onCrash: (error: Error) => void;
}

/**
 * The HTTP thread's bus when the consumers run on a worker thread of the same process: request
 * handling never waits behind a batch of consumer work. Services still register their consumers
 * here (the same modules run on both threads), but only the consumer thread runs them; every
 * operation on them is asked of that thread. The event store is the transport, as in embedded
 * mode: the worker's store subscriptions see what this thread appends.
 */
export class ConsumerThreadBus implements MessageBus {
  private worker?: Worker;
  private readonly groups = new Set<string>();
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private stopping?: Promise<void>;
  private failed?: Error;

  constructor(private readonly options: ConsumerThreadOptions) {}

  consume(options: ConsumeOptions): void {
    // the consumer thread registers the handler itself; kept here only to refuse a second registration
    if (this.groups.has(options.group)) throw new Error(`consumer group ${options.group} is registered twice`);
    this.groups.add(options.group);
  }

  /** Starts the consumer thread and resolves once its consumers run (rejects if it cannot start). */
  async start(): Promise<void> {
    if (this.worker) return;
    const { file, execArgv } = this.options.entry;
    const { workerData, transferList } = this.options;
    const worker = new Worker(file, { workerData, transferList, ...(execArgv ? { execArgv } : {}) });
    this.worker = worker;
    try {
      await new Promise<void>((resolve, reject) => {
        const early = (code: number) => reject(new Error(`the consumer thread exited with code ${code} while starting`));
        worker.once('error', reject);
        worker.once('exit', early);
        worker.on('message', (message: ConsumerThreadMessage) => {
          if (message.kind === 'ready') {
            worker.off('error', reject);
            worker.off('exit', early);
            resolve();
          } else if (message.kind === 'failed') reject(new Error(`the consumer thread could not start: ${message.error}`));
          else this.answer(message);
        });
      });
    } catch (error) {
      this.worker = undefined;
      await worker.terminate(); // whatever it opened before failing must not keep the process alive
      throw error;
    }
    worker.on('error', (error) => this.crashed(error));
    worker.on('exit', (code) => this.crashed(new Error(`the consumer thread exited with code ${code}`)));
  }

  /** Asks the consumer thread to finish its batches and close its store, and waits until it has ended. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const worker = this.worker;
      if (!worker) return;
      const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ stop: true });
      await ended;
      this.worker = undefined;
    })();
    return this.stopping;
  }

  settled(): Promise<void> {
    return this.call({ method: 'settled' }) as Promise<void>;
  }

  status(): Promise<ConsumerStatus[]> {
    return this.call({ method: 'status' }) as Promise<ConsumerStatus[]>;
  }

  /** Counts a request of this (the HTTP) thread. */
  requestArrived(): void {
    this.options.pressure?.arrived();
  }

  deadLetters(): DeadLetter[] {
    return this.options.deadLetters.load();
  }

  redrive(group?: string): Promise<number> {
    return this.call({ method: 'redrive', group }) as Promise<number>;
  }

  async pause(group: string): Promise<void> {
    await this.call({ method: 'pause', group });
  }

  resume(group: string): void {
    // messages are handled in order: a later pause or status sees the group resumed
    void this.call({ method: 'resume', group }).catch(() => undefined);
  }

  private call(request: ConsumerThreadRequest): Promise<unknown> {
    const worker = this.worker;
    if (!worker || this.stopping || this.failed) return Promise.reject(this.failed ?? new Error('the consumer thread is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private answer(message: Extract<ConsumerThreadMessage, { kind: 'answer' }>): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.value);
  }

  private crashed(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    if (this.stopping || this.failed) return; // asked to end; or 'exit' after 'error'
    this.failed = error;
    this.options.onCrash(error);
  }
}
