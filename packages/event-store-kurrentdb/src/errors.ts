import { WrongExpectedRevisionError, type ExpectedRevision } from '@atr/event-store';
import { ANY, ErrorType, NO_STREAM, STREAM_EXISTS, type AppendStreamState } from '@kurrent/kurrentdb-client';

/** The port's expectation as the client's `streamState` (renamed from `expectedRevision` in the KurrentDB client). */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default: {
      const revision = BigInt(expected);
      if (revision < 0n) throw new RangeError(`expected revision ${expected} is negative`);
      return revision;
    }
  }
}

/** The port's check of an expectation against a stream's last revision (-1: no stream), made before writing. */
export function meetsExpectation(expected: ExpectedRevision, lastRevision: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return lastRevision < 0;
    case 'stream_exists':
      return lastRevision >= 0;
    default:
      return BigInt(expected) === BigInt(lastRevision);
  }
}

export function wrongRevision(streamId: string, expected: ExpectedRevision, lastRevision: number): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, String(expected), lastRevision < 0 ? 'no_stream' : lastRevision);
}

const typeOf = (error: unknown) => (error && typeof error === 'object' ? (error as { type?: unknown }).type : undefined);

export const isWrongExpectedVersion = (error: unknown) => typeOf(error) === ErrorType.WRONG_EXPECTED_VERSION;
export const isStreamNotFound = (error: unknown) => typeOf(error) === ErrorType.STREAM_NOT_FOUND;

/**
 * A client error of an append to `streamId`, as the port's error: a conflict becomes
 * WrongExpectedRevisionError with the revision the server reported; anything else (access
 * denied, deleted stream, unavailable) keeps its type, with the stream named in the message.
 */
export function mapAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (isWrongExpectedVersion(error)) {
    const actual = (error as { actualState?: unknown }).actualState;
    const last = typeof actual === 'bigint' || typeof actual === 'number' ? Number(actual) : -1;
    return wrongRevision(streamId, expected, last);
  }
  if (error instanceof Error && !error.message.includes(streamId)) {
    error.message = `append to ${streamId}: ${error.message}`;
  }
  return error;
}
