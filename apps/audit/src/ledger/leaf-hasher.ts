import { Worker } from 'node:worker_threads';
import { workerEntry, type BackgroundPriority, type EventStore } from '@atr/event-store';
import { readLeafPage, type LeafPage } from './leaf-page';
import type { LeafHasherData, LeafRequest } from './leaf-hasher.worker';

/**
 * Hashes what the log gained for the ledger. On a store another thread can open (the SQLite
 * file), a thread of its own reads and hashes the events: hashing every event on the HTTP
 * thread took about a twentieth of it under load. Elsewhere (KurrentDB) it hashes here.
 */
export class LeafHasher {
  private worker?: Worker;
  private readonly waiting = new Map<number, { resolve(page: LeafPage): void; reject(error: Error): void }>();
  private nextId = 1;

  constructor(
    private readonly store: EventStore,
    /** The thread's scheduling (see lowerThreadPriority): the ledger may lag a burst, requests may not. */
    private readonly priority: BackgroundPriority,
  ) {}

  read(after: number, limit: number): Promise<LeafPage> {
    const worker = this.thread();
    if (!worker) return readLeafPage(this.store, after, limit);
    const id = this.nextId++;
    return new Promise<LeafPage>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) worker.ref(); // an answer is due: keep the process alive for it
      worker.postMessage({ id, after, limit } satisfies LeafRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private thread(): Worker | undefined {
    if (this.worker) return this.worker;
    const spec = this.store.readerSpec?.();
    if (!spec) return undefined;
    const { file, execArgv } = workerEntry(__filename, 'leaf-hasher.worker');
    const workerData: LeafHasherData = { spec, priority: this.priority };
    const worker = new Worker(file, { workerData, ...(execArgv ? { execArgv } : {}) });
    worker.unref();
    worker.on('message', (message: { id: number; page?: LeafPage; error?: string }) => this.answer(message));
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined; // the next read starts another
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the ledger's hashing thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private answer({ id, page, error }: { id: number; page?: LeafPage; error?: string }): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (page) w.resolve(page);
    else w.reject(new Error(error));
  }
}
