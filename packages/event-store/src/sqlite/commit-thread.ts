import type { MessagePort } from 'node:worker_threads';
import type { AppendResult, ExpectedRevision } from '../port';
import type { EncodedEvent } from './codec';
import { OwnCommitThread, SharedCommitThread, type CommitLink, type LinkEvents } from './commit-link';
import { fromWireError, fromWireOutcome, type CommitReply, type CommitRequest, type CommitThreadConfig } from './commit-messages';
import { settle, type AppendWriter, type PendingAppend } from './group-commit';
import { CommitLatencyRecorder } from '../commit-latency';

/**
 * Group commit on a worker thread ("commit thread", see ./commit-worker), so the fsync of a
 * commit does not block this thread. Pipelined: the appends of one turn of the event loop are
 * posted as a batch at its end, without waiting for the reply to the batch before; the commit
 * thread merges the batches that arrived while it was committing into its next transaction.
 * (Waiting for each reply first put a round trip through this thread, busy with requests,
 * between two commits.) Promises settle only after the commit thread's COMMIT returned. The
 * thread is this writer's own (started by the first batch) or another thread's, reached through
 * a port; it is ref'd only while a batch is in flight or the writer closes: an idle store keeps
 * no process alive.
 */
export class CommitThreadWriter implements AppendWriter {
  private queue: PendingAppend[] = [];
  /** Batches posted and not answered yet, oldest first (replies come in the order of posting). */
  private readonly inFlight: PendingAppend[][] = [];
  private scheduled = false;
  private link: CommitLink | undefined;
  /** Set once the thread died: every later append fails with it. */
  private failure: Error | undefined;
  /** The close request was posted: the thread is ending. */
  private ended = false;
  private closing: Promise<void> | undefined;
  private replyWaiters: (() => void)[] = [];
  /** The commits that carried this writer's batches (the thread may commit for other stores too). */
  readonly latency = new CommitLatencyRecorder();
  private lastCommit = 0;

  private readonly events: LinkEvents = { reply: (reply) => this.received(reply), gone: (reason, cause) => this.fail(reason, cause) };

  /**
   * With `port`, commits on the commit thread another thread shared (connect()); else starts its
   * own. No commit callback: after a commit that appended, the commit thread wakes the
   * subscriptions of every store on the file in this process, this one's included (WakeChannel).
   */
  constructor(
    private readonly config: CommitThreadConfig & { port?: MessagePort },
    private readonly now: () => Date,
  ) {
    if (config.port) this.link = new SharedCommitThread(config.port, this.events);
  }

  /** A port for a store in another thread to commit on this writer's commit thread (see OwnCommitThread.connect). */
  connect(): MessagePort {
    if (this.failure || this.ended) throw this.failure ?? new Error('event store is closed');
    const link = this.ensureLink();
    if (!(link instanceof OwnCommitThread)) throw new Error('only the store that started the commit thread can share it');
    return link.connect();
  }

  enqueue(streamId: string, events: EncodedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.reject(new Error('event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      this.schedule();
    });
  }

  close(): Promise<void> {
    this.closing ??= this.drainAndEnd();
    return this.closing;
  }

  private async drainAndEnd(): Promise<void> {
    this.link?.ref(); // an awaited close() must be able to finish
    while (this.inFlight.length > 0 || this.queue.length > 0) {
      this.post(); // now, not on the next macrotask
      if (this.inFlight.length > 0) await new Promise<void>((resolve) => this.replyWaiters.push(resolve));
    }
    this.ended = true;
    if (!this.link || this.failure) return;
    await this.link.end();
  }

  private ensureLink(): CommitLink {
    const { port: _port, ...config } = this.config; // not the port: workerData cannot hold one untransferred
    this.link ??= new OwnCommitThread(config, this.events);
    return this.link;
  }

  /** Appends of the same tick join one batch: post on the next macrotask. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.post();
    });
  }

  private post(): void {
    if (this.queue.length === 0 || this.failure) return;
    let link: CommitLink;
    try {
      link = this.ensureLink();
    } catch (error) {
      return this.fail('it could not start', error);
    }
    const batch = this.queue;
    this.queue = [];
    let request: CommitRequest;
    try {
      const appends = batch.map(({ streamId, events, expected }) => ({ streamId, events, expected }));
      request = { type: 'batch', now: this.now().toISOString(), appends };
    } catch (error) {
      for (const append of batch) append.reject(error); // e.g. a clock that throws
      return;
    }
    try {
      link.post(request);
    } catch (error) {
      return this.postCloneable(batch, error);
    }
    this.inFlight.push(batch);
    link.ref();
  }

  /**
   * A field structured clone refuses (a caller's unvalidated function or symbol) fails its
   * append alone, as a field SQLite cannot bind does in the in-thread writer; the others go on.
   */
  private postCloneable(batch: PendingAppend[], error: unknown): void {
    const cloneable = batch.filter(({ streamId, events, expected }) => isCloneable({ streamId, events, expected }));
    const failed = cloneable.length === batch.length ? batch : batch.filter((append) => !cloneable.includes(append));
    for (const append of failed) append.reject(error);
    if (failed === batch) return; // not an append's fault: none is retried
    this.queue.unshift(...cloneable);
    this.post();
  }

  private received(reply: CommitReply): void {
    const batch = this.inFlight.shift();
    if (!batch) return;
    if (reply.commit !== this.lastCommit) {
      // batches merged into one transaction get one reply each: count the transaction once
      this.lastCommit = reply.commit;
      this.latency.record(reply.tookMs);
    }
    if (this.inFlight.length === 0 && !this.closing) this.link!.unref();
    if ('lost' in reply) {
      const error = fromWireError(reply.lost); // nothing of the batch is stored
      for (const append of batch) append.reject(error);
    } else {
      settle(batch, reply.outcomes.map(fromWireOutcome));
    }
    this.notifyReply();
  }

  /** The thread died: what it held may or may not be stored; queued and later appends are refused. */
  private fail(reason: string, cause?: unknown): void {
    if (this.failure) return;
    const where = `the commit thread of event store ${this.config.path} died`;
    this.failure = new Error(`${where} (${reason}): the store accepts no more appends; reopen it`, { cause });
    const inFlight = this.inFlight.splice(0).flat();
    const lost = new Error(`${where} before confirming this append, which may or may not be stored (${reason})`, { cause });
    for (const append of inFlight) append.reject(lost);
    for (const append of this.queue.splice(0)) append.reject(this.failure);
    this.link?.unref();
    this.notifyReply();
  }

  private notifyReply(): void {
    for (const resolve of this.replyWaiters.splice(0)) resolve();
  }
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
