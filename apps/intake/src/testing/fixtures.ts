import type { DomainEvent, EventDefinition, PayloadOf } from '@atr/contracts';
import type { ClueCommand } from '../clue/clue.decider';
import { triage } from '../triage/triage';

export const CLUE_ID = '0b7a6c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';
export const OTHER_CLUE_ID = '1c8b7d2f-3a4e-4f6a-9b0c-1d2e3f4a5b6c';
export const REQUEST_ID = '2d9c8e3a-4b5f-4a7b-8c1d-2e3f4a5b6c7d';
export const CASE_ID = '3e0d9f4b-5c6a-4b8c-9d2e-3f4a5b6c7d8e';
export const SUBMITTED_AT = '2026-03-03T03:00:00.000Z';
export const DEADLINES = { URGENT: 15, HIGH: 240, NORMAL: 4320 };

export const school = { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622' } as const;
export const yanshanPolice = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' } as const;

const facts = {
  source: 'SCHOOL' as const,
  location: { divisionCode: '532622', address: '砚山县江那镇' },
  summary: '学生连续两周未到校，家长称已送往外地 🙏',
  childMissing: true,
  childInDanger: false,
  details: {
    source: 'SCHOOL' as const,
    schoolName: '砚山县第一小学',
    reason: 'UNEXPLAINED_DROPOUT' as const,
    student: { name: '小明', birthDate: '2016-05-01' },
  },
};

/** A school's submission of a missing pupil, triaged with the default deadlines. */
export function submitCommand(overrides: Partial<Extract<ClueCommand, { type: 'SubmitClue' }>> = {}): Extract<ClueCommand, { type: 'SubmitClue' }> {
  return {
    type: 'SubmitClue',
    clueId: CLUE_ID,
    submittedBy: school,
    idempotencyKey: 'school-ref-1',
    requestHash: 'sha256:aaa',
    ...facts,
    triage: triage(facts, DEADLINES),
    routedTo: { agencyId: 'yanshan-police', jurisdiction: '532622', queue: 'UNIT' },
    ...overrides,
  };
}

let seq = 0;
/** A stored-looking event for `given(...)`: the decider reads occurredAt and eventId too. */
export function event<D extends EventDefinition>(def: D, payload: PayloadOf<D>, at = SUBMITTED_AT): DomainEvent {
  seq++;
  return {
    eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    type: def.type,
    schemaVersion: def.version,
    occurredAt: at,
    recordedAt: at,
    actor: { ...school, userId: 'clerk-yang', role: 'REPORTER' },
    correlationId: CLUE_ID,
    causationId: 'req-1',
    streamId: `clue-${CLUE_ID}`,
    streamRevision: seq,
    globalPosition: seq,
    payload: payload as Record<string, unknown>,
  };
}

/** Turns drafts into events (as if stored), to continue a given-when-then chain. */
export const stored = (drafts: { type: string; payload: unknown }[], at = SUBMITTED_AT): DomainEvent[] =>
  drafts.map((d) => event({ type: d.type } as EventDefinition, d.payload as never, at));
