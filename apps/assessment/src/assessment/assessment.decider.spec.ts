import { randomUUID } from 'node:crypto';
import { AssessmentCompleted, AssessmentOpened, AssessmentScheduled, type DomainEvent, type EventDefinition, type Party, type PayloadOf } from '@atr/contracts';
import { NotFound, RuleViolation, given } from '@atr/platform';
import { assessmentDecider, type AssessmentCommand } from './assessment.decider';

const T0 = '2026-01-01T00:00:00.000Z';
const assessmentId = randomUUID();
const placementId = randomUUID();
const civilAffairs: Party = { agencyId: 'yanshan-civil-affairs', agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622' };
const hospital: Party = { agencyId: 'yanshan-hospital', agencyKind: 'HEALTH', jurisdiction: '532622' };

const victim = { victimId: randomUUID(), name: '小花', isChild: true, ageYears: 9 };
const opened = (kind: 'MEDICAL' | 'DISABILITY' = 'MEDICAL'): PayloadOf<typeof AssessmentOpened> => ({
  assessmentId,
  placementId,
  kind,
  handoff: { from: civilAffairs, to: hospital, reason: 'MEDICAL assessment of a rescued victim' },
  victim,
});

function event<D extends EventDefinition>(def: D, payload: PayloadOf<D>, occurredAt = T0): DomainEvent {
  return { type: def.type, payload, occurredAt, eventId: randomUUID() } as unknown as DomainEvent;
}

const openedEvent = event(AssessmentOpened, opened());
const scheduled = event(AssessmentScheduled, { assessmentId, scheduledFor: '2026-01-05T01:00:00.000Z', assessor: '林医生' });
const completed = event(AssessmentCompleted, { ...opened(), handoff: { from: hospital, to: civilAffairs, reason: 'x' }, outcome: '健康', recommendations: [] });
const complete: AssessmentCommand = { type: 'CompleteAssessment', outcome: '营养不良', recommendations: ['补充营养', '三个月后复查'] };

function violation(history: DomainEvent[], command: AssessmentCommand): RuleViolation {
  try {
    given(assessmentDecider, history).when(command);
  } catch (error) {
    if (error instanceof RuleViolation) return error;
    throw error;
  }
  throw new Error(`${command.type} broke no rule`);
}

describe('assessment decider', () => {
  it('opens on the request, once', () => {
    expect(given(assessmentDecider, []).when({ type: 'OpenAssessment', opened: opened() })).toEqual([{ type: 'AssessmentOpened', payload: opened() }]);
    expect(given(assessmentDecider, [openedEvent]).when({ type: 'OpenAssessment', opened: opened() })).toEqual([]);
  });

  it('refuses to schedule an assessment that was never requested', () => {
    expect(() => given(assessmentDecider, []).when({ type: 'ScheduleAssessment', scheduledFor: T0, assessor: 'x' })).toThrow(NotFound);
  });

  it('schedules and reschedules', () => {
    const [first] = given(assessmentDecider, [openedEvent]).when({ type: 'ScheduleAssessment', scheduledFor: T0, assessor: '林医生', place: '砚山县人民医院' });
    expect(first).toEqual({ type: 'AssessmentScheduled', payload: { assessmentId, scheduledFor: T0, assessor: '林医生', place: '砚山县人民医院' } });
    const { state } = given(assessmentDecider, [openedEvent, scheduled, scheduled]);
    expect(state).toMatchObject({ status: 'SCHEDULED', revision: 2 });
    expect(given(assessmentDecider, [openedEvent, scheduled]).when({ type: 'ScheduleAssessment', scheduledFor: T0, assessor: '张医生' })).toHaveLength(1);
  });

  it('completes with the hand-off back to the civil affairs agency that asked', () => {
    const [e] = given(assessmentDecider, [openedEvent, scheduled]).when(complete);
    expect(e).toEqual({
      type: 'AssessmentCompleted',
      payload: {
        assessmentId,
        placementId,
        kind: 'MEDICAL',
        handoff: { from: hospital, to: civilAffairs, reason: 'MEDICAL assessment completed' },
        outcome: '营养不良',
        recommendations: ['补充营养', '三个月后复查'],
      },
    });
  });

  it('gives a disability grade for a DISABILITY assessment', () => {
    const [e] = given(assessmentDecider, [event(AssessmentOpened, opened('DISABILITY')), scheduled]).when({ ...complete, disabilityGrade: 'III' });
    expect(e.payload).toMatchObject({ kind: 'DISABILITY', disabilityGrade: 'III' });
  });

  it('rule ASSESSMENT_NOT_SCHEDULED', () => {
    expect(violation([openedEvent], complete)).toMatchObject({ rule: 'ASSESSMENT_NOT_SCHEDULED', status: 409 });
  });

  it('rule ASSESSMENT_ALREADY_COMPLETED: completed only once, and no rescheduling after', () => {
    expect(violation([openedEvent, scheduled, completed], complete)).toMatchObject({ rule: 'ASSESSMENT_ALREADY_COMPLETED', status: 409 });
    expect(violation([openedEvent, scheduled, completed], { type: 'ScheduleAssessment', scheduledFor: T0, assessor: 'x' })).toMatchObject({ rule: 'ASSESSMENT_ALREADY_COMPLETED' });
  });

  it('rule DISABILITY_GRADE_ONLY_FOR_DISABILITY_ASSESSMENT', () => {
    expect(violation([openedEvent, scheduled], { ...complete, disabilityGrade: 'II' })).toMatchObject({ rule: 'DISABILITY_GRADE_ONLY_FOR_DISABILITY_ASSESSMENT', status: 422 });
  });

  it('shows the result in the state', () => {
    expect(given(assessmentDecider, [openedEvent, scheduled, completed]).state).toMatchObject({ status: 'COMPLETED', result: { outcome: '健康', completedAt: T0 } });
  });
});
