import { WrongExpectedRevisionError } from '@atr/event-store';
import { AccessDeniedError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { mapAppendError, meetsExpectation, toStreamState } from './errors';
import { parseCheckpointTag } from './correlation-index';

describe('expected revisions', () => {
  it('become the client’s streamState (the renamed expectedRevision), revisions as bigints', () => {
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState('no_stream')).toBe('no_stream');
    expect(toStreamState('stream_exists')).toBe('stream_exists');
    expect(toStreamState(3)).toBe(3n);
    expect(toStreamState(3n)).toBe(3n);
    expect(() => toStreamState(-1)).toThrow(RangeError);
  });

  it('are checked against the last revision read (-1: no stream)', () => {
    expect(meetsExpectation('any', -1)).toBe(true);
    expect(meetsExpectation('no_stream', -1)).toBe(true);
    expect(meetsExpectation('no_stream', 0)).toBe(false);
    expect(meetsExpectation('stream_exists', -1)).toBe(false);
    expect(meetsExpectation('stream_exists', 2)).toBe(true);
    expect(meetsExpectation(2, 2)).toBe(true);
    expect(meetsExpectation(2n, 3)).toBe(false);
  });
});

describe('append errors', () => {
  it('map a wrong expected version to the port’s WrongExpectedRevisionError with the actual revision', () => {
    const conflict = new WrongExpectedVersionError(undefined, { streamName: 't1.case-2', expected: 1n, current: 2n });
    const mapped = mapAppendError(conflict, 'case-2', 1);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: 'case-2', expected: '1', actual: 2 });
    const none = new WrongExpectedVersionError(undefined, { streamName: 'case-3', expected: 'stream_exists', current: 'no_stream' });
    expect(mapAppendError(none, 'case-3', 'stream_exists')).toMatchObject({ actual: 'no_stream' });
  });

  it('keep other errors, naming the stream', () => {
    const denied = new AccessDeniedError(undefined, 'Access denied');
    const mapped = mapAppendError(denied, 'case-9', 'any');
    expect(mapped).toBe(denied);
    expect((mapped as Error).message).toContain('case-9');
  });
});

describe('projection checkpoints', () => {
  it('are read from the C:<commit>/P:<prepare> tag, anything else meaning nothing durable yet', () => {
    expect(parseCheckpointTag('C:123456/P:123456')).toBe(123456);
    expect(parseCheckpointTag('')).toBe(0);
    expect(parseCheckpointTag(undefined)).toBe(0);
    expect(parseCheckpointTag('Phase: 0')).toBe(0);
  });
});
