import { clueStream, deterministicId, newId, referralStream, type Actor, type NewEvent } from '@atr/contracts';
import type { TestApp } from '../../../../packages/platform/src/testing/test-app';

export { createTestApp, type TestApp } from '../../../../packages/platform/src/testing/test-app';

/** Demo API keys (infra/agencies.demo.json). */
export const KEYS = {
  school: 'demo-school-reporter',
  hospital: 'demo-hospital-reporter',
  hospitalAssessor: 'demo-hospital-assessor',
  cyberspace: 'demo-cyberspace-reporter',
  civilAffairs: 'demo-civil-affairs-reporter',
  publicPortal: 'demo-public-portal',
  police: 'demo-yanshan-police-officer',
  jcoAuditor: 'demo-jco-auditor',
  jcoSupervisor: 'demo-jco-supervisor',
  procuratorateAuditor: 'demo-procuratorate-auditor',
  socialWorker: 'demo-civil-affairs-social-worker',
} as const;

export const contentHash = (n: number) => 'sha256:' + n.toString(16).padStart(64, '0');

let counter = 0;
/** A fresh idempotency key per request unless one is given. */
export const freshKey = () => `test-key-${process.pid}-${++counter}`;

export const bodies = {
  onlineContent: (over: Record<string, unknown> = {}) => ({
    location: { divisionCode: '532622', address: '砚山县江那镇' },
    summary: '某平台账号发布“出售婴儿”广告',
    platform: '某短视频平台',
    account: 'baby_seller_01',
    url: 'https://example.com/posts/123',
    contentHash: contentHash(1),
    contentKind: 'TRAFFICKING_AD',
    child: { description: '约六个月大的女婴' },
    ...over,
  }),
  hospital: (over: Record<string, unknown> = {}) => ({
    location: { divisionCode: '532622' },
    summary: '产妇以他人身份证入院分娩，拒绝核验身份',
    hospitalName: '砚山县人民医院',
    anomaly: 'DELIVERY_UNDER_ANOTHER_NAME',
    identityCheckResult: 'REFUSED',
    birthCertificateNumber: 'O530099887',
    ...over,
  }),
  school: (over: Record<string, unknown> = {}) => ({
    location: { divisionCode: '532622', address: '砚山县第一小学' },
    summary: '学生小明连续两周未到校，家长称已送往外地 🙏',
    childMissing: true,
    schoolName: '砚山县第一小学',
    reason: 'UNEXPLAINED_DROPOUT',
    student: { name: '小明', birthDate: '2016-05-01', sex: 'M' },
    ...over,
  }),
  civilRegistration: (over: Record<string, unknown> = {}) => ({
    location: { divisionCode: '532622' },
    summary: '婚姻登记时女方不会说汉语，无身份证件',
    registry: 'MARRIAGE',
    anomaly: '女方无身份证件，由中间人陪同',
    parties: [{ name: '张某', idNumber: '53262219800101001X' }, { name: '阮氏' }],
    ...over,
  }),
  publicTip: (over: Record<string, unknown> = {}) => ({
    location: { divisionCode: '532622' },
    summary: '邻居家突然多了一个不会说本地话的小孩',
    channel: 'HOTLINE',
    ...over,
  }),
};

export async function submit(t: TestApp, path: string, key: string, body: unknown, idempotencyKey: string | null = freshKey()) {
  return t.request('POST', `/clues/${path}`, { key, body, headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey } });
}

export async function streamOf(t: TestApp, clueId: string) {
  return t.store.readStream(clueStream(clueId));
}

/** Runs a request that must fail, and checks that nothing reached the event store. */
export async function expectNothingAppended<R>(t: TestApp, request: () => Promise<R>): Promise<R> {
  await t.settle();
  const before = await t.store.headPosition();
  const result = await request();
  await t.settle();
  expect(await t.store.headPosition()).toBe(before);
  return result;
}

const officer: Actor = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'officer-li', role: 'OFFICER' };
export const yanshanPoliceParty = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' } as const;

/**
 * Plays the police service: appends one event of a referral stream, as police would after
 * receiving ClueReferred. Intake only sees it through its feedback consumer.
 */
export async function policeDoes(t: TestApp, clueId: string, referralId: string, type: string, payload: Record<string, unknown>) {
  const stream = referralStream(referralId);
  const existing = await t.store.readStream(stream);
  const event: NewEvent = {
    eventId: deterministicId('test-police', referralId, String(existing.length)),
    type,
    schemaVersion: 1,
    occurredAt: t.clock.now().toISOString(),
    actor: officer,
    correlationId: clueId,
    causationId: existing[existing.length - 1]?.eventId ?? newId(),
    payload: { referralId, clueId, ...payload },
  };
  await t.store.append(stream, [event], existing.length === 0 ? 'no_stream' : existing.length - 1);
  return event;
}
