import type Database from 'better-sqlite3';
import type { AppendResult, ExpectedRevision } from '../port';
import { BatchExecutor, type AppendRequest, type Outcome } from './batch-executor';
import type { EncodedEvent } from './codec';
import { CommitLatencyRecorder } from '../commit-latency';

/** How the store hands appends to a group commit, in this thread or on the commit thread. */
export interface AppendWriter {
  /** Settles only once the batch holding this append was committed (durable) or lost. */
  enqueue(streamId: string, events: EncodedEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Commits everything queued (after a batch in flight), then refuses appends. Idempotent. */
  close(): Promise<void>;
  /** How long this writer's commits took (see CommitLatency). */
  readonly latency: CommitLatencyRecorder;
}

export interface PendingAppend extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** Settles a committed batch; true when it stored something new (subscriptions are worth waking). */
export function settle(batch: readonly PendingAppend[], outcomes: readonly Outcome[]): boolean {
  let appended = false;
  batch.forEach((append, i) => {
    const outcome = outcomes[i];
    if (outcome.ok) {
      appended ||= !outcome.result.alreadyAppended;
      append.resolve(outcome.result);
    } else append.reject(outcome.error);
  });
  return appended;
}

/**
 * Group commit in this thread: every append queued before the next macrotask is written in ONE
 * write transaction (see BatchExecutor). Promises settle only after COMMIT returned, i.e. once
 * the batch is durable. better-sqlite3 is synchronous, so the commit (and its fsync) blocks
 * this thread; the commit thread (./commit-thread) avoids that for files.
 */
export class GroupCommitWriter implements AppendWriter {
  private queue: PendingAppend[] = [];
  private scheduled = false;
  private closed = false;
  private readonly executor: BatchExecutor;
  readonly latency = new CommitLatencyRecorder();

  constructor(
    db: Database.Database,
    private readonly now: () => Date,
    private readonly onCommit: () => void,
  ) {
    this.executor = new BatchExecutor(db);
  }

  enqueue(streamId: string, events: EncodedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
  }

  /** Writes everything queued in one transaction and settles the promises. */
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    const now = this.now().toISOString();
    const started = performance.now();
    try {
      outcomes = this.executor.execute(batch, now);
    } catch (error) {
      this.latency.record(performance.now() - started);
      for (const append of batch) append.reject(error); // nothing of the batch is stored
      return;
    }
    this.latency.record(performance.now() - started);
    if (settle(batch, outcomes)) this.onCommit();
  }
}
