import { clueStream, ClueReferred, deterministicId, newId, type NewEvent, type Party, type PayloadOf } from '@atr/contracts';
import type { TestApp } from '../../../packages/platform/src/testing/test-app';

/** Demo API keys (infra/agencies.demo.json, listed in the README). */
export const keys = {
  yanshanOfficer: 'demo-yanshan-police-officer',
  yanshanLeader: 'demo-yanshan-police-leader',
  yanshanLeader2: 'demo-yanshan-police-leader-2',
  wenshanshiOfficer: 'demo-wenshanshi-police-officer',
  wenshanshiLeader: 'demo-wenshanshi-police-leader',
  cityOfficer: 'demo-wenshan-police-officer',
  cityLeader: 'demo-wenshan-police-leader',
  school: 'demo-school-reporter',
  jcoSupervisor: 'demo-jco-supervisor',
  jcoAuditor: 'demo-jco-auditor',
  procuratorateAuditor: 'demo-procuratorate-auditor',
  hospitalAssessor: 'demo-hospital-assessor',
} as const;

export const parties = {
  school: { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622' },
  yanshanPolice: { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' },
  wenshanshiPolice: { agencyId: 'wenshanshi-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532601' },
  cityPolice: { agencyId: 'wenshan-prefecture-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600' },
  yanshanCivilAffairs: { agencyId: 'yanshan-civil-affairs', agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622' },
  jco: { agencyId: 'wenshan-joint-conference-office', agencyKind: 'JOINT_CONFERENCE_OFFICE', jurisdiction: '532600' },
  procuratorate: { agencyId: 'wenshan-procuratorate', agencyKind: 'PROCURATORATE', jurisdiction: '532600' },
} satisfies Record<string, Party>;

const ACK_MINUTES = { URGENT: 15, HIGH: 240, NORMAL: 4320 } as const;

type Referred = PayloadOf<typeof ClueReferred>;

export interface SeedOptions {
  to?: Party;
  priority?: Referred['priority'];
  category?: Referred['category'];
  child?: boolean;
}

/**
 * Intake's hand-off as intake would write it: a ClueReferred on the clue's stream, from the
 * school to the police unit (default: 砚山县), with a deadline from the clock.
 */
export function clueReferred(app: TestApp, options: SeedOptions = {}): { clueId: string; referralId: string; event: NewEvent; payload: Referred } {
  const clueId = newId();
  const referralId = deterministicId('referral', clueId, (options.to ?? parties.yanshanPolice).jurisdiction);
  const priority = options.priority ?? 'URGENT';
  const now = app.clock.now();
  const child = options.child ?? true;
  const payload: Referred = {
    clueId,
    referralId,
    handoff: { from: parties.school, to: options.to ?? parties.yanshanPolice, reason: '移送: mandatory report of a suspected victim' },
    category: options.category ?? (child ? 'CHILD_TRAFFICKING' : 'FORCED_LABOUR'),
    priority,
    acknowledgeBy: new Date(now.getTime() + ACK_MINUTES[priority] * 60_000).toISOString(),
    source: 'SCHOOL',
    summary: '学生连续两周未到校，家长称已送往外地',
    location: { divisionCode: (options.to ?? parties.yanshanPolice).jurisdiction, address: '砚山县江那镇' },
    ...(child ? { child: { name: '小明', sex: 'M', birthDate: '2019-05-01' } as const } : {}),
    childMissing: child,
    childInDanger: false,
    details: { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' }, lastSeenAt: '2026-02-15' },
  };
  const event: NewEvent = {
    eventId: newId(),
    type: ClueReferred.type,
    schemaVersion: ClueReferred.version,
    occurredAt: now.toISOString(),
    actor: { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622', userId: 'system:intake', role: 'SYSTEM' },
    correlationId: clueId,
    causationId: newId(),
    payload,
  };
  return { clueId, referralId, event, payload };
}

/** Appends the hand-off to the store and waits for the police consumers to receive it. */
export async function seedReferral(app: TestApp, options: SeedOptions = {}) {
  const seeded = clueReferred(app, options);
  await app.store.append(clueStream(seeded.clueId), [seeded.event], 'any');
  await app.settle();
  return seeded;
}

/** Events of one stream, by type. */
export async function streamTypes(app: TestApp, streamId: string): Promise<string[]> {
  return (await app.store.readStream(streamId)).map((e: { type: string }) => e.type);
}

/**
 * Sends a request that must be refused, and checks that nothing was appended: a 4xx never
 * leaves a trace in the store.
 */
export async function expectRefused(
  app: TestApp,
  request: { method: 'GET' | 'POST' | 'DELETE'; url: string; key?: string; body?: unknown },
  status: number,
  rule?: string,
) {
  const before = await app.store.headPosition();
  const response = await app.request(request.method, request.url, { key: request.key, body: request.body });
  await app.settle();
  expect({ status: response.status, rule: response.body?.rule }).toEqual({ status, rule: rule ?? response.body?.rule });
  expect(await app.store.headPosition()).toBe(before);
  return response;
}

/** Global position of the first event of a type in a stream (for reads as of just before it). */
export async function positionOf(app: TestApp, streamId: string, type: string): Promise<number> {
  const event = (await app.store.readStream(streamId)).find((e: { type: string }) => e.type === type);
  if (!event) throw new Error(`no ${type} in ${streamId}`);
  return event.globalPosition;
}
