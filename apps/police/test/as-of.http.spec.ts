import { caseStream, referralStream } from '@atr/contracts';
import { createTestApp, type TestApp } from '../../../packages/platform/src/testing/test-app';
import { agenciesWithOutsideAuditors, OTHER_COUNTY_AUDITOR, OTHER_PROVINCE_AUDITOR } from '../../../packages/platform/src/testing/outside-auditors';
import { PoliceModule } from '../src/police.module';
import { expectRefused, keys, positionOf, seedReferral } from './fixtures';

// Referrals and cases as they were (time travel): the police service folds its own streams up to
// an instant or a global position, for its units and for auditors.
describe('police: referrals and cases as they were', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp([PoliceModule], { AGENCIES_FILE: agenciesWithOutsideAuditors() });
  });
  afterAll(() => app.close());

  const get = (url: string, key: string) => app.request('GET', url, { key });

  describe('a referral', () => {
    let referralId: string;
    let receivedAt: string;
    beforeAll(async () => {
      app.clock.set('2026-03-03T03:00:00.000Z');
      ({ referralId } = await seedReferral(app)); // URGENT: acknowledge within 15 minutes
      receivedAt = app.clock.now().toISOString();
      app.clock.advanceMinutes(20);
      expect((await app.request('POST', `/referrals/${referralId}/acknowledge`, { key: keys.yanshanOfficer })).status).toBe(200);
      app.clock.advanceMinutes(60);
    });

    it('before acknowledgment: RECEIVED, and overdue only once the deadline had passed then', async () => {
      const url = `/referrals/${referralId}`;
      const now = await get(url, keys.jcoAuditor);
      expect(now.body).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedAt: '2026-03-03T03:20:00.000Z', late: true, overdue: false });
      expect(now.body.lastPosition).toBeUndefined();

      const early = await get(`${url}?asOf=2026-03-03T03:10:00Z`, keys.jcoAuditor);
      expect(early.status).toBe(200);
      expect(early.body).toMatchObject({ status: 'RECEIVED', acknowledgedAt: null, late: null, overdue: false, receivedAt });
      expect(early.body).toMatchObject({ asOf: '2026-03-03T03:10:00.000Z', evaluatedAt: '2026-03-03T03:10:00.000Z' });
      expect(early.body.lastPosition).toBe(await positionOf(app, referralStream(referralId), 'ReferralReceived'));

      // the same state 16 minutes in: the deadline (15 minutes) had passed, nobody had acknowledged
      const late = await get(`${url}?asOf=2026-03-03T11:16:00%2B08:00`, keys.procuratorateAuditor);
      expect(late.body).toMatchObject({ status: 'RECEIVED', overdue: true, asOf: '2026-03-03T03:16:00.000Z' });

      const ack = await positionOf(app, referralStream(referralId), 'ReferralAcknowledged');
      const before = await get(`${url}?position=${ack - 1}`, keys.yanshanOfficer);
      expect(before.body).toMatchObject({ status: 'RECEIVED', position: ack - 1, evaluatedAt: receivedAt });
      expect((await get(`${url}?position=${ack}`, keys.yanshanOfficer)).body).toMatchObject({ status: 'ACKNOWLEDGED', lastPosition: ack });
    });

    it('did not exist before it was received (404)', async () => {
      await expectRefused(app, { method: 'GET', url: `/referrals/${referralId}?asOf=2026-03-03T02:59:59.999Z`, key: keys.jcoAuditor }, 404);
      const received = await positionOf(app, referralStream(referralId), 'ReferralReceived');
      await expectRefused(app, { method: 'GET', url: `/referrals/${referralId}?position=${received - 1}`, key: keys.yanshanOfficer }, 404);
    });

    it('refuses both parameters, a bad instant and a bad position (400 naming the field)', async () => {
      const url = `/referrals/${referralId}`;
      const both = await expectRefused(app, { method: 'GET', url: `${url}?asOf=2026-03-03T03:10:00Z&position=3`, key: keys.jcoAuditor }, 400);
      expect(both.body.issues).toEqual([expect.objectContaining({ path: 'position', message: 'give either asOf or position, not both' })]);
      const instant = await expectRefused(app, { method: 'GET', url: `${url}?asOf=3%20March`, key: keys.jcoAuditor }, 400);
      expect(instant.body.issues.map((i: { path: string }) => i.path)).toEqual(['asOf']);
      const position = await expectRefused(app, { method: 'GET', url: `${url}?position=-1`, key: keys.jcoAuditor }, 400);
      expect(position.body.issues.map((i: { path: string }) => i.path)).toEqual(['position']);
      const unknown = await expectRefused(app, { method: 'GET', url: `${url}?at=2026-03-03`, key: keys.jcoAuditor }, 400);
      expect(unknown.body.error).toBe('VALIDATION_FAILED');
    });

    it('shows the past to the same callers as the present: other jurisdictions 404, other kinds 403', async () => {
      for (const key of [keys.jcoAuditor, keys.jcoSupervisor, keys.procuratorateAuditor, keys.yanshanOfficer, keys.cityOfficer]) {
        expect((await get(`/referrals/${referralId}?asOf=2026-03-03T03:10:00Z`, key)).status).toBe(200);
      }
      for (const key of [OTHER_PROVINCE_AUDITOR, OTHER_COUNTY_AUDITOR, keys.wenshanshiOfficer]) {
        await expectRefused(app, { method: 'GET', url: `/referrals/${referralId}`, key }, 404);
        await expectRefused(app, { method: 'GET', url: `/referrals/${referralId}?asOf=2026-03-03T03:10:00Z`, key }, 404);
      }
      for (const key of [keys.school, keys.hospitalAssessor]) {
        await expectRefused(app, { method: 'GET', url: `/referrals/${referralId}?asOf=2026-03-03T03:10:00Z`, key }, 403);
      }
      // auditors read, they never act
      await expectRefused(app, { method: 'POST', url: `/referrals/${referralId}/acknowledge`, key: keys.jcoAuditor }, 403);
    });
  });

  describe('a case', () => {
    let caseId: string;
    let solvedAt: number;
    beforeAll(async () => {
      app.clock.set('2026-03-05T01:00:00.000Z');
      const { referralId } = await seedReferral(app);
      const accepted = await app.request('POST', `/referrals/${referralId}/accept`, { key: keys.yanshanLeader, body: { title: '砚山县小明失踪案' } });
      caseId = accepted.body.caseId;
      app.clock.advanceMinutes(60);
      await app.request('POST', `/cases/${caseId}/suspects`, { key: keys.yanshanOfficer, body: { suspectId: 'P-1', description: '男，约40岁', arrested: false } });
      app.clock.set('2026-03-10T08:00:00.000Z');
      expect((await app.request('POST', `/cases/${caseId}/solve`, { key: keys.yanshanLeader, body: { summary: '嫌疑人王某已抓获' } })).status).toBe(200);
      solvedAt = await positionOf(app, caseStream(caseId), 'CaseSolved');
      app.clock.advanceMinutes(60);
    });

    it('before it was solved: OPEN, no solution; after: SOLVED', async () => {
      const url = `/cases/${caseId}`;
      expect((await get(url, keys.jcoAuditor)).body).toMatchObject({ status: 'SOLVED', solution: '嫌疑人王某已抓获' });

      const before = await get(`${url}?position=${solvedAt - 1}`, keys.jcoAuditor);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ caseId, status: 'OPEN', solution: null, leader: { userId: 'leader-wang' }, position: solvedAt - 1 });
      expect(before.body.suspects).toHaveLength(1);
      expect(before.body.lastPosition).toBe(await positionOf(app, caseStream(caseId), 'SuspectIdentified'));

      // what police knew on 3 March... of this case, on 5 March before the suspect was identified
      const opened = await get(`${url}?asOf=2026-03-05T01:30:00Z`, keys.procuratorateAuditor);
      expect(opened.body).toMatchObject({ status: 'OPEN', suspects: [], solution: null, asOf: '2026-03-05T01:30:00.000Z' });
      expect(opened.body.lastPosition).toBe(await positionOf(app, caseStream(caseId), 'CaseOpened'));

      expect((await get(`${url}?asOf=2026-03-10T08:00:00.000Z`, keys.yanshanOfficer)).body).toMatchObject({ status: 'SOLVED', lastPosition: solvedAt });
    });

    it('was not opened yet before its CaseOpened (404), and refuses bad parameters (400)', async () => {
      await expectRefused(app, { method: 'GET', url: `/cases/${caseId}?asOf=2026-03-05T00:59:59Z`, key: keys.jcoAuditor }, 404);
      const opened = await positionOf(app, caseStream(caseId), 'CaseOpened');
      await expectRefused(app, { method: 'GET', url: `/cases/${caseId}?position=${opened - 1}`, key: keys.yanshanLeader }, 404);
      const both = await expectRefused(app, { method: 'GET', url: `/cases/${caseId}?asOf=2026-03-05T01:30:00Z&position=${opened}`, key: keys.jcoAuditor }, 400);
      expect(both.body.issues.map((i: { path: string }) => i.path)).toEqual(['position']);
      const bad = await expectRefused(app, { method: 'GET', url: `/cases/${caseId}?asOf=2026-02-30T25:00:00Z`, key: keys.jcoAuditor }, 400);
      expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['asOf']);
    });

    it('shows the past to the same callers as the present: other jurisdictions 404, other kinds 403', async () => {
      const past = `/cases/${caseId}?position=${solvedAt - 1}`;
      for (const key of [keys.jcoAuditor, keys.jcoSupervisor, keys.procuratorateAuditor, keys.cityLeader]) {
        expect((await get(past, key)).status).toBe(200);
      }
      for (const key of [OTHER_PROVINCE_AUDITOR, OTHER_COUNTY_AUDITOR, keys.wenshanshiOfficer]) {
        await expectRefused(app, { method: 'GET', url: `/cases/${caseId}`, key }, 404);
        await expectRefused(app, { method: 'GET', url: past, key }, 404);
      }
      await expectRefused(app, { method: 'GET', url: past, key: keys.school }, 403);
      await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/close`, key: keys.jcoAuditor, body: { reason: 'x' } }, 403);
    });
  });

  it('after a transfer, a past read is checked on the case now and then', async () => {
    app.clock.set('2026-04-01T01:00:00.000Z');
    const { referralId } = await seedReferral(app);
    const { caseId } = (await app.request('POST', `/referrals/${referralId}/accept`, { key: keys.yanshanLeader, body: { title: '转办案' } })).body;
    app.clock.advanceMinutes(60);
    expect((await app.request('POST', `/cases/${caseId}/transfer`, { key: keys.yanshanOfficer, body: { toJurisdiction: '532601', reason: '嫌疑人在文山市落网' } })).status).toBe(200);
    const beforeTransfer = `/cases/${caseId}?asOf=2026-04-01T01:30:00Z`;
    // the unit that gave the case away sees neither its present nor its past
    await expectRefused(app, { method: 'GET', url: beforeTransfer, key: keys.yanshanOfficer }, 404);
    // the receiving unit and the 文山市 procuratorate see the case from the transfer on, not before
    for (const key of [keys.wenshanshiOfficer, OTHER_COUNTY_AUDITOR]) {
      expect((await get(`/cases/${caseId}`, key)).body.jurisdiction).toBe('532601');
      await expectRefused(app, { method: 'GET', url: beforeTransfer, key }, 404);
    }
    // the prefecture's auditors cover both counties
    expect((await get(beforeTransfer, keys.jcoAuditor)).body).toMatchObject({ jurisdiction: '532622', transfers: [] });
  });
});
