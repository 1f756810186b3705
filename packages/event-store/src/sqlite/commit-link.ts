import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { workerEntry } from '../worker-entry';
import type { CommitReply, CommitRequest, CommitThreadConfig } from './commit-messages';

export interface LinkEvents {
  reply(reply: CommitReply): void;
  /** The commit thread is gone without being asked (crashed, or its owner closed it). */
  gone(reason: string, cause?: unknown): void;
}

/**
 * What a CommitThreadWriter needs of the commit thread, whoever started it: a Worker or a
 * MessagePort to one, which post and keep alive alike.
 */
export abstract class CommitLink {
  protected ending = false;

  constructor(private readonly endpoint: Worker | MessagePort) {}

  post(request: CommitRequest): void {
    this.endpoint.postMessage(request);
  }

  /** Keep the process (thread) alive while a reply is due; let it go when idle. */
  ref(): void {
    this.endpoint.ref();
  }

  unref(): void {
    this.endpoint.unref();
  }

  /** After the last reply: lets the commit thread go, and resolves once it has. */
  abstract end(): Promise<void>;
}

/** A commit thread of its own: ending the link ends the thread. */
export class OwnCommitThread extends CommitLink {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(config: CommitThreadConfig, events: LinkEvents) {
    const { file, execArgv } = workerEntry(__filename, 'commit-worker');
    const worker = new Worker(file, { workerData: config, ...(execArgv ? { execArgv } : {}) });
    super(worker);
    this.worker = worker;
    this.worker.on('message', (reply: CommitReply) => events.reply(reply));
    this.worker.on('error', (error) => events.gone(`it threw ${error}`, error));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (!this.ending) events.gone(`it exited with code ${code}`);
        resolve();
      });
    });
  }

  /**
   * A port to this commit thread for a store in another thread of the process: its batches are
   * committed one after another with this store's, so the two never wait for each other's
   * write lock (SQLite's busy wait sleeps 1, 2, 5… ms at a time).
   */
  connect(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ type: 'client', port: port2 } satisfies CommitRequest, [port2]);
    return port1;
  }

  async end(): Promise<void> {
    this.ending = true;
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies CommitRequest);
    await this.exited;
  }
}

/** A port to a commit thread that another thread of the process started (see OwnCommitThread.connect). */
export class SharedCommitThread extends CommitLink {
  constructor(
    private readonly port: MessagePort,
    events: LinkEvents,
  ) {
    super(port);
    port.on('message', (reply: CommitReply) => events.reply(reply));
    port.once('close', () => {
      if (!this.ending) events.gone('the thread that owns it closed it');
    });
    port.unref();
  }

  async end(): Promise<void> {
    this.ending = true;
    this.port.close(); // the commit thread forgets this client; it goes on for its owner
  }
}
