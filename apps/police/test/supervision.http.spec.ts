import { referralStream } from '@atr/contracts';
import { createTestApp, type TestApp } from '../../../packages/platform/src/testing/test-app';
import { PoliceModule } from '../src/police.module';
import { DeadlineWatcher } from '../src/supervision/deadline-watcher';
import { expectRefused, keys, parties, seedReferral, streamTypes } from './fixtures';

describe('deadlines and supervision over HTTP', () => {
  let app: TestApp;
  let watcher: DeadlineWatcher;

  beforeEach(async () => {
    app = await createTestApp([PoliceModule]);
    watcher = app.app.get(DeadlineWatcher);
  });
  afterEach(async () => {
    await app.close();
  });

  it('escalates an urgent referral unacknowledged after 15 minutes, once only, to the joint-conference office', async () => {
    const urgent = await seedReferral(app, { priority: 'URGENT' });
    const high = await seedReferral(app, { priority: 'HIGH' });
    const acknowledged = await seedReferral(app, { priority: 'URGENT' });
    await app.request('POST', `/referrals/${acknowledged.referralId}/acknowledge`, { key: keys.yanshanOfficer });
    await app.settle();

    app.clock.advanceMinutes(15);
    expect(await watcher.checkNow()).toBe(0); // at the deadline, not yet past it
    app.clock.advanceMinutes(2);
    expect(await watcher.checkNow()).toBe(1);
    await app.settle();
    expect(await watcher.checkNow()).toBe(0);

    const events = await app.store.readStream(referralStream(urgent.referralId));
    expect(events.map((e) => e.type)).toEqual(['ReferralReceived', 'ReferralEscalated']);
    expect(events[1].actor).toEqual({ ...parties.yanshanPolice, userId: 'system:police', role: 'SYSTEM' });
    expect(events[1]).toMatchObject({ correlationId: urgent.clueId, causationId: events[0].eventId });
    expect(events[1].payload).toMatchObject({
      priority: 'URGENT',
      acknowledgeBy: urgent.payload.acknowledgeBy,
      overdueMinutes: 2,
      handoff: { from: parties.yanshanPolice, to: parties.jco },
    });
    expect(await streamTypes(app, referralStream(high.referralId))).toEqual(['ReferralReceived']);
    expect(await streamTypes(app, referralStream(acknowledged.referralId))).toEqual(['ReferralReceived', 'ReferralAcknowledged']);

    const escalations = await app.request('GET', '/supervision/escalations', { key: keys.jcoSupervisor });
    expect(escalations.body.items).toEqual([
      {
        referralId: urgent.referralId,
        clueId: urgent.clueId,
        jurisdiction: '532622',
        priority: 'URGENT',
        category: 'CHILD_TRAFFICKING',
        acknowledgeBy: urgent.payload.acknowledgeBy,
        escalatedAt: app.clock.now().toISOString(),
        overdueMinutes: 2,
        status: 'RECEIVED',
      },
    ]);
    const inboxItem = (await app.request('GET', '/referrals', { key: keys.yanshanOfficer })).body.items.find((i: { referralId: string }) => i.referralId === urgent.referralId);
    expect(inboxItem).toMatchObject({ escalated: true, overdue: true });

    // a late acknowledgment still works and is marked late
    const ack = await app.request('POST', `/referrals/${urgent.referralId}/acknowledge`, { key: keys.yanshanOfficer });
    expect(ack.body.late).toBe(true);
  });

  it('lists the newest escalation first, and an operator can trigger the check for their jurisdiction', async () => {
    const first = await seedReferral(app, { priority: 'URGENT' });
    app.clock.advanceMinutes(20);
    expect(await watcher.checkNow()).toBe(1);
    const second = await seedReferral(app, { priority: 'URGENT', to: parties.wenshanshiPolice });
    app.clock.advanceMinutes(20);

    await expectRefused(app, { method: 'POST', url: '/supervision/deadline-checks', key: keys.yanshanLeader }, 403);
    await expectRefused(app, { method: 'POST', url: '/supervision/deadline-checks', key: keys.jcoAuditor }, 403);
    const triggered = await app.request('POST', '/supervision/deadline-checks', { key: keys.jcoSupervisor });
    expect(triggered).toMatchObject({ status: 200, body: { escalated: 1 } });
    await app.settle();

    const items = (await app.request('GET', '/supervision/escalations', { key: keys.jcoAuditor })).body.items;
    expect(items.map((i: { referralId: string }) => i.referralId)).toEqual([second.referralId, first.referralId]);
    await expectRefused(app, { method: 'GET', url: '/supervision/escalations', key: keys.yanshanOfficer }, 403);
  });

  it('lists a case for supervision once per level; the office covering it sees the listing', async () => {
    const { referralId } = await seedReferral(app);
    const { caseId } = (await app.request('POST', `/referrals/${referralId}/accept`, { key: keys.yanshanLeader, body: {} })).body;
    const url = `/cases/${caseId}/supervision`;

    await expectRefused(app, { method: 'POST', url, key: keys.yanshanLeader, body: { level: 'CITY' } }, 403);
    await expectRefused(app, { method: 'POST', url, key: keys.jcoAuditor, body: { level: 'CITY' } }, 403);
    await expectRefused(app, { method: 'POST', url, key: keys.jcoSupervisor, body: { level: 'TOWNSHIP' } }, 400);
    const listed = await app.request('POST', url, { key: keys.jcoSupervisor, body: { level: 'CITY', note: '挂牌督办：限期破案' } });
    expect(listed).toMatchObject({ status: 200, body: { caseId, status: 'OPEN' } });
    await expectRefused(app, { method: 'POST', url, key: keys.jcoSupervisor, body: { level: 'CITY' } }, 409, 'ALREADY_LISTED_FOR_SUPERVISION');
    expect((await app.request('POST', url, { key: keys.jcoSupervisor, body: { level: 'PROVINCE' } })).status).toBe(200);
    await app.settle();

    const supervised = (await app.request('GET', '/supervision/cases', { key: keys.jcoSupervisor })).body.items;
    expect(supervised).toEqual([
      expect.objectContaining({
        caseId,
        jurisdiction: '532622',
        supervisionLevels: ['CITY', 'PROVINCE'],
        supervision: [
          { level: 'CITY', note: '挂牌督办：限期破案', listedAt: expect.any(String) },
          { level: 'PROVINCE', note: null, listedAt: expect.any(String) },
        ],
      }),
    ]);
    const detail = (await app.request('GET', `/cases/${caseId}`, { key: keys.yanshanOfficer })).body;
    expect(detail.supervision.map((s: { level: string }) => s.level)).toEqual(['CITY', 'PROVINCE']);
  });

  it('runs on its own when DEADLINE_CHECK_INTERVAL_MS is set', async () => {
    const timed = await createTestApp([PoliceModule], { DEADLINE_CHECK_INTERVAL_MS: '20' });
    try {
      const { referralId } = await seedReferral(timed, { priority: 'URGENT' });
      timed.clock.advanceMinutes(16);
      const deadline = Date.now() + 5000;
      while ((await streamTypes(timed, referralStream(referralId))).length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await streamTypes(timed, referralStream(referralId))).toEqual(['ReferralReceived', 'ReferralEscalated']);
    } finally {
      await timed.close();
    }
  });
});
