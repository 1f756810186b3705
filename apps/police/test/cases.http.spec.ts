import { caseStream, deterministicId, newId, referralStream } from '@atr/contracts';
import { CommandRunner, READ_MODELS, type ReadModels } from '@atr/platform';
import { createTestApp, type TestApp } from '../../../packages/platform/src/testing/test-app';
import { PoliceModule } from '../src/police.module';
import { expectRefused, keys, parties, seedReferral, streamTypes } from './fixtures';

const family = { familyId: 'F-1', householdHead: '张某', memberIdNumbers: ['53262219800101123X'], address: '某县某村' };

describe('police cases over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp([PoliceModule]);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A child referral in 砚山县, accepted by its leader: an open child case. */
  async function openChildCase(key: string = keys.yanshanLeader) {
    const seeded = await seedReferral(app);
    const accepted = await app.request('POST', `/referrals/${seeded.referralId}/accept`, { key, body: { title: '砚山县小明失踪案' } });
    expect(accepted.status).toBe(200);
    return { ...seeded, caseId: accepted.body.caseId as string };
  }

  it('the happy path: referral → case → DNA → buyer family → rescue hands the victim to civil affairs', async () => {
    const { referralId, clueId } = await seedReferral(app);
    expect((await app.request('POST', `/referrals/${referralId}/acknowledge`, { key: keys.yanshanOfficer })).status).toBe(200);

    // an officer opens the child case naming a leader
    const accepted = await app.request('POST', `/referrals/${referralId}/accept`, {
      key: keys.yanshanOfficer,
      body: { title: '砚山县小明失踪案', taskForceLeader: { userId: 'leader-wang', name: '王队' } },
    });
    expect(accepted.body).toEqual({ referralId, caseId: deterministicId('case', referralId), mode: 'OPENED_CASE' });
    const { caseId } = accepted.body;
    const url = `/cases/${caseId}`;
    const officer = { key: keys.yanshanOfficer };

    expect((await app.request('POST', `${url}/dna-samples`, { ...officer, body: { sampleId: 'S-1', subject: 'PARENT', laboratory: '云南省公安厅物证鉴定中心' } })).status).toBe(201);
    const match = await app.request('POST', `${url}/dna-matches`, { ...officer, body: { sampleId: 'S-1', matchedSampleRef: 'DNA-DB-0042', confidence: 0.9999 } });
    expect(match.body).toEqual({ caseId, status: 'OPEN' });
    expect((await app.request('POST', `${url}/suspects`, { ...officer, body: { suspectId: 'P-1', description: '男，约40岁', arrested: true } })).status).toBe(201);
    const alert = await app.request('POST', `${url}/missing-child-alerts`, { ...officer, body: { child: { name: '小明', sex: 'M' } } });
    expect(alert.status).toBe(201);
    expect(alert.body.jurisdictions).toEqual(['532601', '532600']);
    expect((await app.request('POST', `${url}/buyer-families`, { ...officer, body: { family } })).status).toBe(201);

    const rescue = await app.request('POST', `${url}/rescues`, {
      ...officer,
      body: { victim: { name: '小明', sex: 'M', birthDate: '2019-05-01', isChild: true, ageYears: 6 }, rescuedAt: app.clock.now().toISOString(), place: '某县某村' },
    });
    expect(rescue.status).toBe(201);
    const { victimId, placementId } = rescue.body;
    expect(placementId).toBe(deterministicId('placement', caseId, victimId));

    const events = await app.store.readStream(caseStream(caseId));
    expect(events.map((e) => e.type)).toEqual([
      'CaseOpened',
      'DnaSampleTaken',
      'DnaMatchFound',
      'SuspectIdentified',
      'MissingChildAlertIssued',
      'BuyerFamilyRecorded',
      'VictimRescued',
      'VictimHandedOver',
    ]);
    expect(events.every((e) => e.correlationId === clueId)).toBe(true);
    const handedOver = events[7];
    expect(handedOver.payload).toEqual({
      caseId,
      placementId,
      handoff: { from: parties.yanshanPolice, to: parties.yanshanCivilAffairs, reason: expect.any(String) },
      victim: { victimId, name: '小明', sex: 'M', birthDate: '2019-05-01', isChild: true, ageYears: 6 },
      buyerFamilies: [family],
    });
    // rescue and hand-off are one append: consecutive positions
    expect(handedOver.globalPosition).toBe(events[6].globalPosition + 1);
    expect(events[4].payload.handoff).toEqual({ from: parties.yanshanPolice, to: parties.cityPolice, reason: expect.any(String) });

    const detail = (await app.request('GET', url, officer)).body;
    expect(detail).toMatchObject({
      caseId,
      status: 'OPEN',
      childCase: true,
      jurisdiction: '532622',
      clueIds: [clueId],
      leader: { userId: 'leader-wang', name: '王队' },
      samples: [{ sampleId: 'S-1' }],
      matches: [{ matchedSampleRef: 'DNA-DB-0042' }],
      suspects: [{ suspectId: 'P-1', arrested: true }],
      buyerFamilies: [family],
      victims: [{ victim: { victimId }, placementId }],
    });
    expect(await streamTypes(app, referralStream(referralId))).toEqual(['ReferralReceived', 'ReferralAcknowledged', 'ReferralAccepted']);

    // solve, prosecute, close
    await expectRefused(app, { method: 'POST', url: `${url}/prosecution`, ...officer }, 409, 'CASE_NOT_SOLVED');
    await expectRefused(app, { method: 'POST', url: `${url}/close`, ...officer, body: { reason: '结案' } }, 409, 'CHILD_CASE_CLOSE_REQUIRES_SOLVED');
    expect((await app.request('POST', `${url}/solve`, { ...officer, body: { summary: '嫌疑人已到案，儿童获救' } })).body.status).toBe('SOLVED');
    const prosecuted = await app.request('POST', `${url}/prosecution`, officer);
    expect(prosecuted.body).toEqual({ caseId, status: 'SENT_FOR_PROSECUTION' });
    const sent = (await app.store.readStream(caseStream(caseId))).at(-1)!;
    expect(sent.payload.handoff).toMatchObject({ from: parties.yanshanPolice, to: parties.procuratorate });
    expect((await app.request('POST', `${url}/close`, { ...officer, body: { reason: '结案' } })).body.status).toBe('CLOSED');
    await expectRefused(app, { method: 'POST', url: `${url}/dna-samples`, ...officer, body: { sampleId: 'S-2', subject: 'CHILD', laboratory: 'lab' } }, 409, 'CASE_CLOSED');

    await app.settle();
    const listed = (await app.request('GET', '/cases?status=CLOSED', officer)).body.items;
    expect(listed.find((c: { caseId: string }) => c.caseId === caseId)).toMatchObject({ title: '砚山县小明失踪案', childCase: true, leaderUserId: 'leader-wang' });
  });

  describe('accept', () => {
    it('a child case needs a task-force leader: an officer without one gets 422, a leader leads by default', async () => {
      const { referralId } = await seedReferral(app);
      const accept = { method: 'POST' as const, url: `/referrals/${referralId}/accept` };
      await expectRefused(app, { ...accept, key: keys.yanshanOfficer, body: {} }, 422, 'CHILD_CASE_NEEDS_TASK_FORCE_LEADER');
      await expectRefused(app, { ...accept, key: keys.yanshanOfficer, body: { taskForceLeader: { userId: 'officer-li' } } }, 422, 'TASK_FORCE_LEADER_NOT_CASE_LEADER');
      // a leader of another county does not lead a 砚山县 task force
      await expectRefused(app, { ...accept, key: keys.yanshanOfficer, body: { taskForceLeader: { userId: 'leader-sun' } } }, 422, 'TASK_FORCE_LEADER_NOT_CASE_LEADER');
      await expectRefused(app, { ...accept, key: keys.yanshanOfficer, body: { caseId: newId(), title: 'x' } }, 400);
      const accepted = await app.request('POST', accept.url, { key: keys.yanshanLeader, body: {} });
      expect(accepted.status).toBe(200);
      const detail = (await app.request('GET', `/cases/${accepted.body.caseId}`, { key: keys.yanshanLeader })).body;
      expect(detail.leader).toEqual({ userId: 'leader-wang' });
      expect(detail.title).toBe('学生连续两周未到校，家长称已送往外地');
      await expectRefused(app, { ...accept, key: keys.yanshanLeader, body: {} }, 409, 'ALREADY_ACCEPTED');
    });

    it('an adult case opens without a leader; acceptance acknowledges implicitly', async () => {
      const { referralId } = await seedReferral(app, { child: false });
      app.clock.advanceMinutes(30);
      const accepted = await app.request('POST', `/referrals/${referralId}/accept`, { key: keys.yanshanOfficer, body: {} });
      expect(accepted.status).toBe(200);
      const events = await app.store.readStream(referralStream(referralId));
      expect(events.map((e) => e.type)).toEqual(['ReferralReceived', 'ReferralAcknowledged', 'ReferralAccepted']);
      expect(events[1].payload.late).toBe(true);
      const detail = (await app.request('GET', `/cases/${accepted.body.caseId}`, { key: keys.yanshanOfficer })).body;
      expect(detail).toMatchObject({ childCase: false, category: 'FORCED_LABOUR', leader: null });
    });

    it('a retry after a failure between the two appends finds the same case instead of opening a second', async () => {
      const { referralId } = await seedReferral(app);
      const runner = app.app.get(CommandRunner);
      const run = runner.run.bind(runner);
      // the first attempt writes the case, then its referral append fails
      const spy = jest.spyOn(runner, 'run').mockImplementationOnce(run).mockImplementationOnce(async () => {
        throw new Error('disk full');
      });
      try {
        const failed = await app.request('POST', `/referrals/${referralId}/accept`, { key: keys.yanshanLeader, body: {} });
        expect(failed.status).toBe(500);
      } finally {
        spy.mockRestore();
      }
      const caseId = deterministicId('case', referralId);
      expect(await streamTypes(app, caseStream(caseId))).toEqual(['CaseOpened']);
      expect(await streamTypes(app, referralStream(referralId))).toEqual(['ReferralReceived']);

      const retried = await app.request('POST', `/referrals/${referralId}/accept`, { key: keys.yanshanLeader, body: {} });
      expect(retried.body).toEqual({ referralId, caseId, mode: 'OPENED_CASE' });
      expect(await streamTypes(app, caseStream(caseId))).toEqual(['CaseOpened']);
      expect(await streamTypes(app, referralStream(referralId))).toEqual(['ReferralReceived', 'ReferralAcknowledged', 'ReferralAccepted']);
    });

    it('attaches a referral to an existing open case of a covered jurisdiction', async () => {
      const { caseId } = await openChildCase();
      const second = await seedReferral(app);
      const body = { caseId };
      // 文山市 cannot see the referral, and 砚山县's case is out of reach of a 文山市 referral
      await expectRefused(app, { method: 'POST', url: `/referrals/${second.referralId}/accept`, key: keys.wenshanshiOfficer, body }, 404);
      const other = await seedReferral(app, { to: parties.wenshanshiPolice });
      await expectRefused(app, { method: 'POST', url: `/referrals/${other.referralId}/accept`, key: keys.wenshanshiOfficer, body }, 404);
      await expectRefused(app, { method: 'POST', url: `/referrals/${second.referralId}/accept`, key: keys.yanshanOfficer, body: { caseId: newId() } }, 404);

      const attached = await app.request('POST', `/referrals/${second.referralId}/accept`, { key: keys.yanshanOfficer, body });
      expect(attached.body).toEqual({ referralId: second.referralId, caseId, mode: 'ATTACHED_TO_CASE' });
      const events = await app.store.readStream(caseStream(caseId));
      expect(events.at(-1)).toMatchObject({ type: 'ClueAttachedToCase', correlationId: second.clueId, payload: { referralId: second.referralId } });
      const detail = (await app.request('GET', `/cases/${caseId}`, { key: keys.yanshanOfficer })).body;
      expect(detail.clueIds).toHaveLength(2);

      // a solved case takes no more referrals
      await app.request('POST', `/cases/${caseId}/solve`, { key: keys.yanshanOfficer, body: { summary: '破案' } });
      const third = await seedReferral(app);
      await expectRefused(app, { method: 'POST', url: `/referrals/${third.referralId}/accept`, key: keys.yanshanOfficer, body }, 409, 'CASE_NOT_OPEN');
    });
  });

  describe('case rules', () => {
    it('一长三包: the leader of an unsolved child case is only replaced by a successor', async () => {
      const { caseId } = await openChildCase();
      const url = `/cases/${caseId}/task-force-leader`;
      await expectRefused(app, { method: 'DELETE', url, key: keys.yanshanLeader }, 409, 'TASK_FORCE_LEADER_NEEDS_SUCCESSOR');
      await expectRefused(app, { method: 'POST', url, key: keys.yanshanOfficer, body: { userId: 'leader-zhao', reason: '调动' } }, 403);
      await expectRefused(app, { method: 'POST', url, key: keys.yanshanLeader, body: { userId: 'officer-li', reason: '调动' } }, 422, 'TASK_FORCE_LEADER_NOT_CASE_LEADER');
      await expectRefused(app, { method: 'POST', url, key: keys.yanshanLeader, body: { userId: 'leader-wang', reason: '调动' } }, 409, 'ALREADY_TASK_FORCE_LEADER');
      const assigned = await app.request('POST', url, { key: keys.yanshanLeader, body: { userId: 'leader-zhao', name: '赵队', reason: '工作调动' } });
      expect(assigned.status).toBe(200);
      const last = (await app.store.readStream(caseStream(caseId))).at(-1)!;
      expect(last).toMatchObject({ type: 'TaskForceLeaderAssigned', payload: { leader: { userId: 'leader-zhao', name: '赵队' }, previousLeader: { userId: 'leader-wang' } } });
      // once solved, the task force may be dissolved
      await app.request('POST', `/cases/${caseId}/solve`, { key: keys.yanshanOfficer, body: { summary: '破案' } });
      expect((await app.request('DELETE', url, { key: keys.yanshanLeader2 })).status).toBe(200);
      expect((await app.request('GET', `/cases/${caseId}`, { key: keys.yanshanOfficer })).body.leader).toBeNull();
    });

    it('refuses a DNA match for a sample the case never took, and bad input', async () => {
      const { caseId } = await openChildCase();
      await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/dna-matches`, key: keys.yanshanOfficer, body: { sampleId: 'S-404', matchedSampleRef: 'R', confidence: 0.9 } }, 422, 'UNKNOWN_DNA_SAMPLE');
      const bad = await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/dna-matches`, key: keys.yanshanOfficer, body: { sampleId: 'S-1', matchedSampleRef: 'R', confidence: 2 } }, 400);
      expect(bad.body.issues[0].path).toBe('confidence');
      await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/rescues`, key: keys.yanshanOfficer, body: { victim: { isChild: true, idNumber: '123' }, rescuedAt: app.clock.now().toISOString() } }, 400);
      await expectRefused(
        app,
        { method: 'POST', url: `/cases/${caseId}/rescues`, key: keys.yanshanOfficer, body: { victim: { isChild: true }, rescuedAt: '2099-01-01T00:00:00.000Z' } },
        422,
        'RESCUE_IN_FUTURE',
      );
    });

    it('hides a case from other counties and from the school', async () => {
      const { caseId } = await openChildCase();
      await expectRefused(app, { method: 'GET', url: `/cases/${caseId}`, key: keys.wenshanshiOfficer }, 404);
      await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/solve`, key: keys.wenshanshiLeader, body: { summary: 'x' } }, 404);
      await expectRefused(app, { method: 'GET', url: `/cases/${caseId}`, key: keys.school }, 403);
      expect((await app.request('GET', `/cases/${caseId}`, { key: keys.cityOfficer })).status).toBe(200);
      await app.settle();
      const ids = (await app.request('GET', '/cases?limit=200', { key: keys.wenshanshiOfficer })).body.items.map((c: { caseId: string }) => c.caseId);
      expect(ids).not.toContain(caseId);
    });

    it('a transfer moves the case: the old unit loses access, the new one gains it', async () => {
      const { caseId } = await openChildCase();
      await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/transfer`, key: keys.yanshanOfficer, body: { toJurisdiction: '532622', reason: 'x' } }, 409, 'TRANSFER_TO_SAME_JURISDICTION');
      const moved = await app.request('POST', `/cases/${caseId}/transfer`, { key: keys.yanshanOfficer, body: { toJurisdiction: '532601', reason: '嫌疑人在文山市落网' } });
      expect(moved.status).toBe(200);
      const last = (await app.store.readStream(caseStream(caseId))).at(-1)!;
      expect(last.payload.handoff).toEqual({ from: parties.yanshanPolice, to: parties.wenshanshiPolice, reason: '嫌疑人在文山市落网' });
      await expectRefused(app, { method: 'GET', url: `/cases/${caseId}`, key: keys.yanshanOfficer }, 404);
      expect((await app.request('GET', `/cases/${caseId}`, { key: keys.wenshanshiOfficer })).body.jurisdiction).toBe('532601');
      await app.settle();
      const ids = (await app.request('GET', '/cases?limit=200', { key: keys.wenshanshiOfficer })).body.items.map((c: { caseId: string }) => c.caseId);
      expect(ids).toContain(caseId);
    });

    it('closes an adult case unsolved, then refuses everything (CASE_CLOSED)', async () => {
      const { referralId } = await seedReferral(app, { child: false });
      const { caseId } = (await app.request('POST', `/referrals/${referralId}/accept`, { key: keys.yanshanOfficer, body: {} })).body;
      expect((await app.request('POST', `/cases/${caseId}/close`, { key: keys.yanshanOfficer, body: { reason: '证据不足，撤案' } })).body.status).toBe('CLOSED');
      await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/solve`, key: keys.yanshanOfficer, body: { summary: 'x' } }, 409, 'CASE_CLOSED');
      await expectRefused(app, { method: 'POST', url: `/cases/${caseId}/supervision`, key: keys.jcoSupervisor, body: { level: 'CITY' } }, 409, 'CASE_CLOSED');
    });
  });

  it('the read models equal a replay of the log from position 0', async () => {
    await app.settle();
    const reports = await app.app.get<ReadModels>(READ_MODELS).verifyReplay();
    expect(reports.map((r) => [r.projection, r.equal])).toEqual([
      ['police_inbox', true],
      ['police_cases', true],
    ]);
    expect(reports.every((r) => r.eventsApplied > 0)).toBe(true);
  });
});
