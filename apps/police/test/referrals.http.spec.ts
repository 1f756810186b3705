import { AdditionalInformationProvided, clueStream, newId, referralStream, type StoredEvent } from '@atr/contracts';
import { createTestApp, type TestApp } from '../../../packages/platform/src/testing/test-app';
import { PoliceModule } from '../src/police.module';
import { InboxConsumer } from '../src/referral/inbox.consumer';
import { expectRefused, keys, parties, seedReferral, streamTypes } from './fixtures';

describe('police referrals over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp([PoliceModule]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('the inbox consumer', () => {
    it('receives the hand-off as a ReferralReceived copying the content, by a system actor of the receiving unit', async () => {
      const { referralId, clueId, payload, event } = await seedReferral(app);
      const [received] = await app.store.readStream(referralStream(referralId));
      expect(received).toMatchObject({ type: 'ReferralReceived', correlationId: clueId, causationId: event.eventId });
      expect(received.actor).toEqual({ ...parties.yanshanPolice, userId: 'system:police', role: 'SYSTEM' });
      const { clueId: _c, referralId: _r, ...content } = payload;
      expect(received.payload).toMatchObject(content);
      expect(received.payload.summary).toBe('学生连续两周未到校，家长称已送往外地');
    });

    it('is idempotent: the same ClueReferred delivered twice gives one ReferralReceived', async () => {
      const { referralId, clueId } = await seedReferral(app);
      const [referred] = (await app.store.readStream(clueStream(clueId))) as StoredEvent[];
      await app.app.get(InboxConsumer).handle(referred);
      await app.app.get(InboxConsumer).handle(referred);
      await app.settle();
      expect(await streamTypes(app, referralStream(referralId))).toEqual(['ReferralReceived']);
    });
  });

  describe('visibility per jurisdiction', () => {
    it('shows a 砚山县 referral to its unit and to the city unit, never to 文山市 (404)', async () => {
      const { referralId } = await seedReferral(app);
      expect((await app.request('GET', `/referrals/${referralId}`, { key: keys.yanshanOfficer })).status).toBe(200);
      expect((await app.request('GET', `/referrals/${referralId}`, { key: keys.cityOfficer })).status).toBe(200);
      await expectRefused(app, { method: 'GET', url: `/referrals/${referralId}`, key: keys.wenshanshiOfficer }, 404);
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/acknowledge`, key: keys.wenshanshiOfficer }, 404);

      const inbox = (key: string) => app.request('GET', '/referrals?limit=200', { key }).then((r) => r.body.items.map((i: { referralId: string }) => i.referralId));
      expect(await inbox(keys.yanshanOfficer)).toContain(referralId);
      expect(await inbox(keys.cityOfficer)).toContain(referralId);
      expect(await inbox(keys.wenshanshiOfficer)).not.toContain(referralId);
    });

    it('keeps the city fallback queue to the city unit', async () => {
      const { referralId } = await seedReferral(app, { to: { agencyId: null, agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600' } });
      expect((await app.request('GET', `/referrals/${referralId}`, { key: keys.cityOfficer })).status).toBe(200);
      await expectRefused(app, { method: 'GET', url: `/referrals/${referralId}`, key: keys.yanshanOfficer }, 404);
    });

    it('404s an unknown referral and 400s a malformed id', async () => {
      await expectRefused(app, { method: 'GET', url: `/referrals/${newId()}`, key: keys.yanshanOfficer }, 404);
      const bad = await expectRefused(app, { method: 'GET', url: '/referrals/not-a-uuid', key: keys.yanshanOfficer }, 400);
      expect(bad.body.issues[0].path).toBe('referralId');
    });
  });

  describe('roles and kinds', () => {
    it('refuses a school key (403) and a missing key (401)', async () => {
      const { referralId } = await seedReferral(app);
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/acknowledge`, key: keys.school }, 403);
      await expectRefused(app, { method: 'GET', url: '/referrals', key: keys.school }, 403);
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/acknowledge` }, 401);
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/accept`, key: keys.jcoSupervisor, body: {} }, 403);
    });
  });

  describe('the inbox', () => {
    it('lists urgent first, then oldest, and computes overdue against the clock', async () => {
      const local = await createTestApp([PoliceModule]);
      try {
        const normal = await seedReferral(local, { priority: 'NORMAL', to: parties.wenshanshiPolice });
        local.clock.advanceMinutes(1);
        const urgent = await seedReferral(local, { priority: 'URGENT', to: parties.wenshanshiPolice });
        local.clock.advanceMinutes(1);
        const high = await seedReferral(local, { priority: 'HIGH', to: parties.wenshanshiPolice });
        local.clock.advanceMinutes(1);
        const urgent2 = await seedReferral(local, { priority: 'URGENT', to: parties.wenshanshiPolice });
        const list = async (query = '') => (await local.request('GET', `/referrals${query}`, { key: keys.wenshanshiOfficer })).body.items;
        expect((await list()).map((i: { referralId: string }) => i.referralId)).toEqual([urgent.referralId, urgent2.referralId, high.referralId, normal.referralId]);
        expect((await list()).every((i: { overdue: boolean }) => !i.overdue)).toBe(true);

        local.clock.advanceMinutes(14); // the first urgent one is 16 minutes old, the second 14
        const items = await list('?priority=URGENT');
        expect(items.map((i: { referralId: string; overdue: boolean }) => [i.referralId, i.overdue])).toEqual([
          [urgent.referralId, true],
          [urgent2.referralId, false],
        ]);
        expect(items[0]).toMatchObject({ status: 'RECEIVED', acknowledgeBy: urgent.payload.acknowledgeBy, escalated: false, caseId: null, late: null });
        expect(await list('?status=ACKNOWLEDGED')).toEqual([]);
        await expectRefused(local, { method: 'GET', url: '/referrals?status=LOST', key: keys.wenshanshiOfficer }, 400);
        await expectRefused(local, { method: 'GET', url: '/referrals?limit=0', key: keys.wenshanshiOfficer }, 400);
      } finally {
        await local.close();
      }
    });
  });

  describe('acknowledge', () => {
    it('acknowledges once, on time; a second time is ALREADY_ACKNOWLEDGED', async () => {
      const { referralId, payload } = await seedReferral(app);
      const ack = await app.request('POST', `/referrals/${referralId}/acknowledge`, { key: keys.yanshanOfficer });
      expect(ack.status).toBe(200);
      expect(ack.body).toEqual({ referralId, acknowledgedAt: app.clock.now().toISOString(), acknowledgeBy: payload.acknowledgeBy, late: false });
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/acknowledge`, key: keys.yanshanLeader }, 409, 'ALREADY_ACKNOWLEDGED');
      const [, acknowledged] = await app.store.readStream(referralStream(referralId));
      expect(acknowledged.actor).toMatchObject({ agencyId: 'yanshan-police', userId: 'officer-li', role: 'OFFICER' });
    });

    it('marks an acknowledgment after the deadline as late', async () => {
      const { referralId } = await seedReferral(app, { priority: 'URGENT' });
      app.clock.advanceMinutes(20);
      const ack = await app.request('POST', `/referrals/${referralId}/acknowledge`, { key: keys.yanshanOfficer });
      expect(ack.body.late).toBe(true);
      await app.settle();
      const item = (await app.request('GET', '/referrals?status=ACKNOWLEDGED&limit=200', { key: keys.yanshanOfficer })).body.items.find(
        (i: { referralId: string }) => i.referralId === referralId,
      );
      expect(item).toMatchObject({ late: true, overdue: false, acknowledgedAt: ack.body.acknowledgedAt });
    });
  });

  describe('reject', () => {
    it('rejects with a reason and the competent agency, acknowledging implicitly; then nothing more', async () => {
      const { referralId } = await seedReferral(app, { child: false });
      const body = { reason: '经核实系劳动纠纷，非拐卖', forwardTo: { agencyKind: 'HR_SOCIAL_SECURITY', jurisdiction: '532622' } };
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/reject`, key: keys.yanshanOfficer, body: { reason: '' } }, 400);
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/reject`, key: keys.yanshanOfficer, body: { ...body, extra: 1 } }, 400);
      const rejected = await app.request('POST', `/referrals/${referralId}/reject`, { key: keys.yanshanOfficer, body });
      expect(rejected.body).toEqual({ referralId, status: 'REJECTED' });
      expect(await streamTypes(app, referralStream(referralId))).toEqual(['ReferralReceived', 'ReferralAcknowledged', 'ReferralRejected']);
      const detail = (await app.request('GET', `/referrals/${referralId}`, { key: keys.yanshanOfficer })).body;
      expect(detail).toMatchObject({ status: 'REJECTED', rejection: { reason: body.reason, forwardTo: body.forwardTo } });
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/accept`, key: keys.yanshanLeader, body: {} }, 409, 'ALREADY_REJECTED');
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/reject`, key: keys.yanshanOfficer, body }, 409, 'ALREADY_REJECTED');
    });
  });

  describe('information requests', () => {
    it('asks the submitting school, and records its answer relayed by intake', async () => {
      const { referralId, clueId } = await seedReferral(app);
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/information-requests`, key: keys.yanshanOfficer, body: {} }, 400);
      const asked = await app.request('POST', `/referrals/${referralId}/information-requests`, { key: keys.yanshanOfficer, body: { question: '学生最后一次到校是哪天？' } });
      expect(asked.status).toBe(201);
      const { requestId } = asked.body;
      const events = await app.store.readStream(referralStream(referralId));
      const requested = events.find((e) => e.type === 'InformationRequested')!;
      expect(requested.payload).toMatchObject({ requestId, question: '学生最后一次到校是哪天？', handoff: { from: parties.yanshanPolice, to: parties.school } });

      // intake relays the school's answer
      const answer = {
        eventId: newId(),
        type: AdditionalInformationProvided.type,
        schemaVersion: 1,
        occurredAt: app.clock.now().toISOString(),
        actor: { ...parties.school, agencyId: 'yanshan-no1-primary', userId: 'clerk-yang', role: 'REPORTER' as const },
        correlationId: clueId,
        causationId: requested.eventId,
        payload: { clueId, referralId, requestId, handoff: { from: parties.school, to: parties.yanshanPolice, reason: 'answer' }, answer: '2月15日' },
      };
      await app.store.append(clueStream(clueId), [answer], 'any');
      await app.settle();
      const detail = (await app.request('GET', `/referrals/${referralId}`, { key: keys.yanshanOfficer })).body;
      expect(detail.informationRequests).toEqual([
        { requestId, question: '学生最后一次到校是哪天？', requestedAt: expect.any(String), answers: [{ answer: '2月15日', receivedAt: expect.any(String) }] },
      ]);
      expect(detail.status).toBe('ACKNOWLEDGED');
    });
  });
});
