import { randomUUID } from 'node:crypto';
import { VictimHandedOver, caseStream, type BuyerFamily, type NewEvent, type Party, type PayloadOf, type Victim } from '@atr/contracts';
import type { TestApp } from '@atr/platform/testing/test-app';

/** Demo API keys (infra/agencies.demo.json, /tmp/demo-keys.md). */
export const KEYS = {
  socialWorker: 'demo-civil-affairs-social-worker', // 砚山县民政局, 532622
  civilAffairsReporter: 'demo-civil-affairs-reporter',
  hospitalAssessor: 'demo-hospital-assessor',
  federationAssessor: 'demo-disabled-federation-assessor',
  schoolReporter: 'demo-school-reporter',
  educationProvider: 'demo-education-provider',
  hrssProvider: 'demo-hrss-provider',
  legalAidProvider: 'demo-legal-aid-provider',
} as const;

export const yanshanPolice: Party = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' };
export const yanshanCivilAffairs: Party = { agencyId: 'yanshan-civil-affairs', agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622' };
/** Civil affairs of another county (文山市), without a named agency: its queue. */
export const wenshanshiCivilAffairs: Party = { agencyId: null, agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532601' };

export const buyerFamily: BuyerFamily = { familyId: 'buyer-family-1', householdHead: '王某某', memberIdNumbers: ['532622198001011234', '532622198203034321'] };
export const birthFamily = { familyId: 'birth-family-1', householdHead: '李某某', memberIdNumbers: ['532601198505051236'], relationship: 'BIRTH_PARENTS' as const, address: '云南省文山州砚山县某村' };

export function aVictim(overrides: Partial<Victim> = {}): Victim {
  return { victimId: randomUUID(), name: '小花', sex: 'F', isChild: true, ageYears: 15, description: '左臂有胎记，会说壮语', ...overrides };
}

/** Police's hand-off of a rescued victim, as police would append it to the case stream. */
export function victimHandedOver(at: Date, overrides: Partial<PayloadOf<typeof VictimHandedOver>> = {}): NewEvent {
  const payload: PayloadOf<typeof VictimHandedOver> = {
    caseId: randomUUID(),
    placementId: randomUUID(),
    handoff: { from: yanshanPolice, to: yanshanCivilAffairs, reason: '解救被拐儿童，移交民政安置' },
    victim: aVictim(),
    buyerFamilies: [buyerFamily],
    ...overrides,
  };
  return {
    eventId: randomUUID(),
    type: VictimHandedOver.type,
    schemaVersion: 1,
    occurredAt: at.toISOString(),
    actor: { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'leader-wang', role: 'CASE_LEADER' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    payload,
  };
}

/** Seeds the hand-off straight into the store and waits for placement to open the file. */
export async function handOver(t: TestApp, overrides: Partial<PayloadOf<typeof VictimHandedOver>> = {}) {
  const event = victimHandedOver(t.clock.now(), overrides);
  const payload = event.payload as PayloadOf<typeof VictimHandedOver>;
  await t.store.append(caseStream(payload.caseId), [event], 'any');
  await t.settle();
  return { event, placementId: payload.placementId, caseId: payload.caseId };
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

export const DAY_MS = 86_400_000;
