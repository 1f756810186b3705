import { randomUUID } from 'node:crypto';
import { AssessmentRequested, placementStream, type AssessmentKind, type NewEvent, type Party, type PayloadOf } from '@atr/contracts';
import type { TestApp } from '@atr/platform/testing/test-app';

export const KEYS = {
  hospitalAssessor: 'demo-hospital-assessor', // 砚山县人民医院
  federationAssessor: 'demo-disabled-federation-assessor', // 砚山县残疾人联合会
  hospitalReporter: 'demo-hospital-reporter',
  socialWorker: 'demo-civil-affairs-social-worker',
} as const;

export const civilAffairs: Party = { agencyId: 'yanshan-civil-affairs', agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622' };
export const hospital: Party = { agencyId: 'yanshan-hospital', agencyKind: 'HEALTH', jurisdiction: '532622' };
export const federation: Party = { agencyId: 'yanshan-disabled-federation', agencyKind: 'DISABLED_FEDERATION', jurisdiction: '532622' };

/** Civil affairs' hand-off of an assessment request, as placement would append it. */
export function assessmentRequested(at: Date, kind: AssessmentKind, to: Party): NewEvent {
  const payload: PayloadOf<typeof AssessmentRequested> = {
    placementId: randomUUID(),
    assessmentId: randomUUID(),
    kind,
    handoff: { from: civilAffairs, to, reason: `${kind} assessment of a rescued victim` },
    victim: { victimId: randomUUID(), name: '小明', sex: 'M', isChild: true, ageYears: 8, description: '右腿行走不便' },
    question: '请评估身体状况',
  };
  return {
    eventId: randomUUID(),
    type: AssessmentRequested.type,
    schemaVersion: 1,
    occurredAt: at.toISOString(),
    actor: { agencyId: 'yanshan-civil-affairs', agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622', userId: 'social-worker-liu', role: 'SOCIAL_WORKER' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    payload,
  };
}

/** Seeds the request into a placement stream and waits for assessment to open it. */
export async function requestAssessment(t: TestApp, kind: AssessmentKind, to: Party) {
  const event = assessmentRequested(t.clock.now(), kind, to);
  const payload = event.payload as PayloadOf<typeof AssessmentRequested>;
  await t.store.append(placementStream(payload.placementId), [event], 'any');
  await t.settle();
  return { event, assessmentId: payload.assessmentId, placementId: payload.placementId };
}

/** Runs a request that must be refused, and checks nothing was appended (consumers included). */
export async function refused(t: TestApp, send: () => ReturnType<TestApp['request']>, status: number, rule?: string) {
  await t.settle();
  const before = await t.store.headPosition();
  const response = await send();
  expect({ status: response.status, rule: response.body?.rule }).toEqual({ status, rule: rule ?? undefined });
  await t.settle();
  expect(await t.store.headPosition()).toBe(before);
  return response;
}
