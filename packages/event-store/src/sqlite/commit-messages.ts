import type { MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult } from '../port';
import type { AppendRequest, Outcome } from './batch-executor';

/** workerData of the commit thread: its own connection to the file the store opened. */
export interface CommitThreadConfig {
  path: string;
  busyTimeoutMs: number;
  synchronous: 'FULL' | 'NORMAL';
  /** See SqliteEventStoreOptions.walRestartAboveFrames. */
  walRestartAboveFrames?: number;
  /** See SqliteEventStoreOptions.checkpointIo. */
  checkpointIo?: 'idle' | 'normal';
}

/** Main thread → commit thread. `now` is read on the main thread (tests fake the clock there). */
export type CommitRequest =
  | { type: 'batch'; now: string; appends: AppendRequest[] }
  | { type: 'close' }
  /** Another thread's store will post its batches on this port too (see OwnCommitThread.connect). */
  | { type: 'client'; port: MessagePort };

/**
 * Commit thread → main thread, one per batch: per-append outcomes, or the transaction was lost.
 * `commit` numbers the transaction (batches merged into one share it) and `tookMs` is how long it
 * took, fsync included.
 */
export type CommitReply = ({ outcomes: WireOutcome[] } | { lost: WireError }) & { commit: number; tookMs: number };

export type WireOutcome = { ok: true; result: AppendResult } | { ok: false; error: WireError };

/**
 * Structured clone keeps neither error subclasses nor fields like `code`, so errors cross the
 * thread boundary as plain data and are rebuilt as the classes callers check for.
 */
export type WireError =
  | { kind: 'wrong-revision'; streamId: string; expected: string; actual: number | 'no_stream' }
  | { kind: 'duplicate-event-id'; eventId: string; detail: string }
  | { kind: 'other'; name: string; message: string; code?: string; stack?: string };

export function toWireOutcome(outcome: Outcome): WireOutcome {
  return outcome.ok ? outcome : { ok: false, error: toWireError(outcome.error) };
}

export function fromWireOutcome(outcome: WireOutcome): Outcome {
  return outcome.ok ? outcome : { ok: false, error: fromWireError(outcome.error) };
}

export function toWireError(error: unknown): WireError {
  if (error instanceof WrongExpectedRevisionError) {
    return { kind: 'wrong-revision', streamId: error.streamId, expected: error.expected, actual: error.actual };
  }
  if (error instanceof DuplicateEventIdError) {
    return { kind: 'duplicate-event-id', eventId: error.eventId, detail: error.detail };
  }
  if (!(error instanceof Error)) return { kind: 'other', name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { kind: 'other', name: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' ? { code } : {}) };
}

const BUILT_IN: Record<string, new (message: string) => Error> = { TypeError, RangeError };

export function fromWireError(wire: WireError): Error {
  switch (wire.kind) {
    case 'wrong-revision':
      return new WrongExpectedRevisionError(wire.streamId, wire.expected, wire.actual);
    case 'duplicate-event-id':
      return new DuplicateEventIdError(wire.eventId, wire.detail);
    case 'other': {
      const error =
        wire.name === 'SqliteError' && wire.code !== undefined
          ? new Database.SqliteError(wire.message, wire.code)
          : new (BUILT_IN[wire.name] ?? Error)(wire.message);
      if (error.name !== wire.name) error.name = wire.name;
      if (wire.code !== undefined && !('code' in error)) Object.assign(error, { code: wire.code });
      if (wire.stack !== undefined) error.stack = wire.stack; // where it failed, on the commit thread
      return error;
    }
  }
}
