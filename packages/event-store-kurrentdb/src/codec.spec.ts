import { newEvent } from '@atr/event-store/testing/fixtures';
import { fromRecorded, recordPosition, toEventData, toGlobalPosition, toLogPosition } from './codec';
import { StreamNaming } from './naming';

const naming = new StreamNaming('t1');

/** What the client returns for an event written as `data`. */
function recorded(data: ReturnType<typeof toEventData>, streamId: string, position = 123456n, revision = 4n) {
  return {
    event: {
      streamId,
      id: data.id,
      isJson: true,
      revision,
      type: data.type,
      created: new Date('2026-03-03T03:00:00.123Z'),
      data: JSON.parse(JSON.stringify(data.data)),
      metadata: data.metadata === undefined ? undefined : JSON.parse(JSON.stringify(data.metadata)),
      position: { commit: position, prepare: position },
    },
  } as never;
}

describe('event serialisation to and from the client', () => {
  it('puts the payload in data and the envelope in metadata, with KurrentDB’s $correlationId/$causationId', () => {
    const event = newEvent({ type: 'ClueSubmitted', correlationId: 'clue-7', causationId: 'req-1', payload: { 摘要: '送养', n: 1 } });
    const data = toEventData(event, naming);
    expect(data).toMatchObject({ id: event.eventId, type: 'ClueSubmitted', contentType: 'application/json', data: { 摘要: '送养', n: 1 } });
    expect(data.metadata).toEqual({
      schemaVersion: 1,
      occurredAt: event.occurredAt,
      actor: event.actor,
      correlationId: 'clue-7',
      causationId: 'req-1',
      $correlationId: 't1.clue-7',
      $causationId: 'req-1',
    });
  });

  it('snapshots the caller’s objects and refuses ids KurrentDB cannot store', () => {
    const event = newEvent({ payload: { tags: ['紧急'] } });
    const data = toEventData(event, naming);
    (event.payload.tags as string[]).push('later');
    expect(data.data).toEqual({ tags: ['紧急'] });
    expect(() => toEventData(newEvent({ eventId: 'not-a-uuid' }), naming)).toThrow(/UUID/);
  });

  it('reads back the same envelope, with the store’s stream id, revision, position and time', () => {
    const event = newEvent({ correlationId: 'clue-7', payload: { z: 1, a: { 名: '小芳' } } });
    const stored = fromRecorded(recorded(toEventData(event, naming), 't1.clue-7'), naming);
    expect(stored).toEqual({ ...event, streamId: 'clue-7', streamRevision: 4, globalPosition: 123456, recordedAt: '2026-03-03T03:00:00.123Z' });
    expect(JSON.stringify(stored!.payload)).toBe(JSON.stringify(event.payload));
  });

  it('ignores records of other namespaces and of system streams, and refuses a user event without an envelope', () => {
    const data = toEventData(newEvent(), naming);
    expect(fromRecorded(recorded(data, 't2.clue-7'), naming)).toBeUndefined();
    expect(fromRecorded(recorded(data, '$bc-t1.clue-7'), naming)).toBeUndefined();
    expect(fromRecorded({ link: undefined } as never, naming)).toBeUndefined();
    expect(() => fromRecorded(recorded({ ...data, metadata: undefined } as never, 't1.clue-7'), naming)).toThrow(/envelope/);
  });
});

describe('positions and revisions', () => {
  it('maps a log position (commit = prepare) to a number and back', () => {
    expect(toGlobalPosition({ commit: 9_007_199n, prepare: 9_007_199n }, 'e')).toBe(9_007_199);
    expect(toLogPosition(9_007_199)).toEqual({ commit: 9_007_199n, prepare: 9_007_199n });
    expect(recordPosition({ event: { position: { commit: 77n, prepare: 77n } } } as never)).toBe(77);
  });

  it('refuses what it cannot represent exactly', () => {
    expect(() => toGlobalPosition(undefined, 'event x')).toThrow(/22\.6/);
    expect(() => toGlobalPosition({ commit: 100n, prepare: 90n }, 'event x')).toThrow(/explicit transaction/);
    expect(() => toGlobalPosition({ commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 1n }, 'event x')).toThrow(RangeError);
    expect(() => toLogPosition(0)).toThrow(RangeError);
    expect(() => toLogPosition(1.5)).toThrow(RangeError);
  });
});
