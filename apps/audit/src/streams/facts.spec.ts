import type { AuditEnvelope } from '@atr/contracts';
import { factsOf } from './facts';

const e = (type: string, occurredAt: string, payload: Record<string, unknown>) => ({ type, occurredAt, payload }) as AuditEnvelope;

describe('factsOf', () => {
  it('merges payloads in order, later facts over earlier ones, without hand-offs', () => {
    const state = factsOf([
      e('CaseOpened', '2026-03-03T03:00:00.000Z', { caseId: 'k', title: '砚山县拐卖儿童案', taskForceLeader: { userId: 'leader-wang' } }),
      e('CaseTransferred', '2026-03-04T03:00:00.000Z', { caseId: 'k', handoff: { reason: 'x' } }),
      e('TaskForceLeaderAssigned', '2026-03-05T03:00:00.000Z', { caseId: 'k', leader: { userId: 'leader-zhao' } }),
    ]);
    expect(state).toEqual({
      caseId: 'k',
      title: '砚山县拐卖儿童案',
      taskForceLeader: { userId: 'leader-wang' },
      leader: { userId: 'leader-zhao' },
      lastEvent: 'TaskForceLeaderAssigned',
      lastEventAt: '2026-03-05T03:00:00.000Z',
      history: ['CaseOpened', 'CaseTransferred', 'TaskForceLeaderAssigned'],
    });
  });

  it('starts empty', () => {
    expect(factsOf([])).toEqual({ history: [] });
  });
});
