import { readEvent, upcast, UnknownEventError, validateCurrentVersionsOnRead } from '../catalogue';
import type { StoredEvent } from '../envelope';
import { ClueSubmitted } from './clue.events';

const actor = { agencyId: 'yanshan-school-1', agencyKind: 'EDUCATION', jurisdiction: '532622', userId: 'clerk', role: 'REPORTER' } as const;

function stored(schemaVersion: number, payload: Record<string, unknown>): StoredEvent {
  return {
    eventId: '7d9f1c7e-4a5b-4c1d-9e2f-0a1b2c3d4e5f',
    type: 'ClueSubmitted',
    schemaVersion,
    occurredAt: '2026-03-03T03:00:00.000Z',
    recordedAt: '2026-03-03T03:00:00.010Z',
    actor,
    correlationId: 'c',
    causationId: 'req-1',
    streamId: 'clue-c',
    streamRevision: 0,
    globalPosition: 1,
    payload,
  };
}

const common = {
  clueId: '0b7a6c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
  source: 'SCHOOL',
  submittedBy: { agencyId: actor.agencyId, agencyKind: 'EDUCATION', jurisdiction: '532622' },
  idempotencyKey: 'k1',
  requestHash: 'h',
  summary: '学生连续两周未到校，家长称已送往外地',
  childMissing: true,
  childInDanger: false,
  details: { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } },
};

describe('ClueSubmitted upcasting', () => {
  it('reads a v1 event (bare divisionCode and address) as v2 with a location', () => {
    const v1 = stored(1, { ...common, divisionCode: '532622', address: '砚山县江那镇' });
    const event = readEvent(ClueSubmitted, v1);
    expect(event.schemaVersion).toBe(2);
    expect(event.payload.location).toEqual({ divisionCode: '532622', address: '砚山县江那镇' });
    expect(event.payload).not.toHaveProperty('divisionCode');
    // the stored event is untouched: upcasting happens on read
    expect(v1.payload).toHaveProperty('divisionCode', '532622');
  });

  it('leaves a current-version event as it is', () => {
    const v2 = stored(2, { ...common, location: { divisionCode: '532622' } });
    expect(upcast(v2)).toBe(v2);
    expect(readEvent(ClueSubmitted, v2).payload.summary).toBe(common.summary);
  });

  it('refuses a version newer than the code knows, naming the event', () => {
    expect(() => upcast(stored(3, {}))).toThrow(UnknownEventError);
    expect(() => upcast(stored(3, {}))).toThrow(/ClueSubmitted v3/);
  });

  it('refuses a payload that does not match its version', () => {
    expect(() => readEvent(ClueSubmitted, stored(2, { ...common }))).toThrow(/location/);
  });

  it('re-validates a current-version payload unless a replay thread turned that off; an upcast one always', () => {
    const unchecked = stored(2, { ...common });
    validateCurrentVersionsOnRead(false);
    try {
      expect(readEvent(ClueSubmitted, unchecked)).toBe(unchecked);
      expect(() => readEvent(ClueSubmitted, stored(1, { ...common }))).toThrow(/divisionCode/);
    } finally {
      validateCurrentVersionsOnRead(true);
    }
    expect(() => readEvent(ClueSubmitted, unchecked)).toThrow(/location/);
  });
});
