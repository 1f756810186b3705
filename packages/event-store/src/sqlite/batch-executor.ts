import type Database from 'better-sqlite3';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult, ExpectedRevision } from '../port';
import type { EncodedEvent } from './codec';

/** One append() of a batch. */
export interface AppendRequest {
  streamId: string;
  events: EncodedEvent[];
  expected: ExpectedRevision;
}

export type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

interface EventRef {
  stream_id: string;
  stream_revision: number;
  position: number;
}

/**
 * Writes a batch of appends in ONE write transaction (one fsync), each append inside its own
 * savepoint so a failing one rolls back alone. Knows nothing of queues or threads: the in-thread
 * writer and the commit thread both run their batches through it.
 */
export class BatchExecutor {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT append'),
      release: db.prepare('RELEASE append'),
      rollbackTo: db.prepare('ROLLBACK TO append'),
      lastRecordedAt: db.prepare('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').pluck(),
      streamHead: db.prepare('SELECT MAX(stream_revision) FROM events WHERE stream_id = ?').pluck(),
      byEventId: db.prepare('SELECT stream_id, stream_revision, position FROM events WHERE event_id = ?'),
      insert: db.prepare(
        'INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, occurred_at, ' +
          'recorded_at, correlation_id, causation_id, actor, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /**
   * The outcome of each append, in batch order, once COMMIT returned (the batch is durable).
   * Throws when the transaction is lost as a whole (I/O error, busy timeout on BEGIN): then
   * nothing of the batch is stored. `now` is the writer's clock reading (ISO) for recordedAt.
   */
  execute(batch: readonly AppendRequest[], now: string): Outcome[] {
    const outcomes: Outcome[] = [];
    try {
      this.s.begin.run();
      const recordedAt = this.recordedAt(now);
      for (const append of batch) outcomes.push(this.tryAppend(append, recordedAt));
      this.s.commit.run();
    } catch (error) {
      try {
        if (this.db.inTransaction) this.s.rollback.run();
      } catch {
        // the connection is broken; the error thrown below says why
      }
      throw error;
    }
    return outcomes;
  }

  /**
   * Never earlier than the last stored event (read inside the write lock, so it includes other
   * processes): recorded_at grows with position even if the clock steps back, so `asOf` cuts
   * the log at a prefix.
   */
  private recordedAt(now: string): string {
    const last = this.s.lastRecordedAt.get() as string | undefined;
    return last !== undefined && last > now ? last : now;
  }

  private tryAppend(append: AppendRequest, recordedAt: string): Outcome {
    // A single INSERT is atomic by itself and the reads before it change nothing.
    const savepoint = append.events.length > 1;
    if (savepoint) this.s.savepoint.run();
    try {
      const result = this.appendInTransaction(append, recordedAt);
      if (savepoint) this.s.release.run();
      return { ok: true, result };
    } catch (error) {
      if (!this.db.inTransaction) throw error;
      if (savepoint) {
        this.s.rollbackTo.run();
        this.s.release.run();
      }
      return { ok: false, error };
    }
  }

  private appendInTransaction(append: AppendRequest, recordedAt: string): AppendResult {
    const { streamId, events, expected } = append;
    const current = this.s.streamHead.get(streamId) as number | null;
    if (!meetsExpectation(expected, current)) {
      const retry = this.alreadyAppended(append);
      if (retry) return retry;
      throw new WrongExpectedRevisionError(streamId, String(expected), current ?? 'no_stream');
    }
    const first = current === null ? 0 : current + 1;
    let position = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      try {
        const info = this.s.insert.run(
          e.event_id, streamId, first + i, e.type, e.schema_version, e.occurred_at,
          recordedAt, e.correlation_id, e.causation_id, e.actor, e.payload,
        );
        position = Number(info.lastInsertRowid);
      } catch (error) {
        if (!isEventIdConflict(error)) throw error;
        if (i === 0) {
          const retry = this.alreadyAppended(append);
          if (retry) return retry;
        }
        throw new DuplicateEventIdError(e.event_id, this.describe(e.event_id, streamId, first));
      }
    }
    return { nextExpectedRevision: first + events.length - 1, lastPosition: position, alreadyAppended: false };
  }

  /**
   * A retry: the first eventId is stored, and then the whole batch must be stored in this
   * stream at consecutive revisions. Returns undefined when the first eventId is new.
   */
  private alreadyAppended({ streamId, events }: AppendRequest): AppendResult | undefined {
    const first = this.s.byEventId.get(events[0].event_id) as EventRef | undefined;
    if (!first) return undefined;
    let last = first;
    for (let i = 0; i < events.length; i++) {
      const ref = i === 0 ? first : (this.s.byEventId.get(events[i].event_id) as EventRef | undefined);
      if (!ref || ref.stream_id !== streamId || ref.stream_revision !== first.stream_revision + i) {
        const detail = ref
          ? this.describe(events[i].event_id, streamId, Infinity)
          : `the batch was stored before without event ${events[i].event_id}`;
        throw new DuplicateEventIdError(events[i].event_id, detail);
      }
      last = ref;
    }
    return { nextExpectedRevision: last.stream_revision, lastPosition: last.position, alreadyAppended: true };
  }

  private describe(eventId: string, streamId: string, batchStart: number): string {
    const ref = this.s.byEventId.get(eventId) as EventRef | undefined;
    if (!ref || (ref.stream_id === streamId && ref.stream_revision >= batchStart)) {
      return `it appears twice in the batch for stream ${streamId}`;
    }
    return `in stream ${ref.stream_id} at revision ${ref.stream_revision} (append to ${streamId})`;
  }
}

function meetsExpectation(expected: ExpectedRevision, current: number | null): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === null;
    case 'stream_exists':
      return current !== null;
    default:
      return current !== null && current === Number(expected);
  }
}

function isEventIdConflict(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.event_id/.test(e.message ?? '');
}
