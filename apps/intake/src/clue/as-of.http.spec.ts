import { clueStream } from '@atr/contracts';
import { agenciesWithOutsideAuditors, OTHER_COUNTY_AUDITOR, OTHER_PROVINCE_AUDITOR } from '../../../../packages/platform/src/testing/outside-auditors';
import { IntakeModule } from '../intake.module';
import { bodies, createTestApp, expectNothingAppended, KEYS, policeDoes, streamOf, submit, type TestApp } from '../testing/http';

const CASE_ID = '6b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';

// A clue as it was (time travel): intake folds the clue stream with its own decider up to an
// instant or a global position, for the submitter and for auditors.
describe('a clue as it was', () => {
  let t: TestApp;
  let clueId: string;
  let url: string;
  beforeAll(async () => {
    t = await createTestApp([IntakeModule], { AGENCIES_FILE: agenciesWithOutsideAuditors() });
    t.clock.set('2026-03-03T03:00:00.000Z');
    clueId = (await submit(t, 'school-reports', KEYS.school, bodies.school())).body.clueId;
    url = `/clues/${clueId}/status`;
    await t.settle();
    const referralId = (await streamOf(t, clueId))[2].payload.referralId as string;
    t.clock.set('2026-03-03T03:10:00.000Z');
    await policeDoes(t, clueId, referralId, 'ReferralAcknowledged', { acknowledgeBy: '2026-03-03T03:15:00.000Z', late: false });
    await t.settle();
    t.clock.set('2026-03-04T09:00:00.000Z');
    await policeDoes(t, clueId, referralId, 'ReferralAccepted', { caseId: CASE_ID, mode: 'OPENED_CASE' });
    await t.settle();
    t.clock.set('2026-03-05T00:00:00.000Z');
  });
  afterAll(() => t.close());

  const get = (path: string, key: string) => t.request('GET', path, { key });
  const positions = async () => (await t.store.readStream(clueStream(clueId))).map((e) => e.globalPosition);

  it('shows what the submitter could see then: referred, then acknowledged, then accepted with the case', async () => {
    const now = await get(url, KEYS.jcoAuditor);
    expect(now.body).toMatchObject({ status: 'ACCEPTED', caseId: CASE_ID });
    expect(now.body.timeline).toHaveLength(5);
    expect(now.body.lastPosition).toBeUndefined();

    const referred = await get(`${url}?asOf=2026-03-03T03:05:00Z`, KEYS.jcoAuditor);
    expect(referred.status).toBe(200);
    expect(referred.body).toMatchObject({ status: 'REFERRED', priority: 'URGENT', asOf: '2026-03-03T03:05:00.000Z', evaluatedAt: '2026-03-03T03:05:00.000Z' });
    expect(referred.body.caseId).toBeUndefined();
    expect(referred.body.timeline.map((e: { event: string }) => e.event)).toEqual(['ClueSubmitted', 'ClueTriaged', 'ClueReferred']);
    const [, , referredAt, acknowledgedAt] = await positions();
    expect(referred.body.lastPosition).toBe(referredAt);

    const acknowledged = await get(`${url}?position=${acknowledgedAt}`, KEYS.school);
    expect(acknowledged.body).toMatchObject({ status: 'ACKNOWLEDGED', position: acknowledgedAt, lastPosition: acknowledgedAt, evaluatedAt: '2026-03-03T03:10:00.000Z' });
    expect(acknowledged.body.caseId).toBeUndefined();
    expect((await get(`${url}?asOf=2026-03-04T17:00:00%2B08:00`, KEYS.procuratorateAuditor)).body).toMatchObject({ status: 'ACCEPTED', caseId: CASE_ID });
  });

  it('did not exist before it was submitted (404)', async () => {
    const [submittedAt] = await positions();
    for (const query of ['asOf=2026-03-03T02:59:59.999Z', `position=${submittedAt - 1}`]) {
      const res = await get(`${url}?${query}`, KEYS.jcoAuditor);
      expect(res.status).toBe(404);
    }
  });

  it('refuses both parameters and a bad instant (400 naming the field), appending nothing', async () => {
    const both = await expectNothingAppended(t, () => get(`${url}?asOf=2026-03-03T03:05:00Z&position=2`, KEYS.school));
    expect(both.status).toBe(400);
    expect(both.body.issues.map((i: { path: string }) => i.path)).toEqual(['position']);
    const bad = await expectNothingAppended(t, () => get(`${url}?asOf=2026-03-03`, KEYS.school));
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['asOf']);
  });

  it('shows the past only to whom the present is shown', async () => {
    const past = `${url}?asOf=2026-03-03T03:05:00Z`;
    for (const key of [KEYS.school, KEYS.jcoAuditor, KEYS.procuratorateAuditor]) expect((await get(past, key)).status).toBe(200);
    // auditors of other places, other agencies, police (they have their inbox) and the supervisor
    // (not an auditor of clues) get 404 now and then: whether a clue exists is need-to-know
    for (const key of [OTHER_PROVINCE_AUDITOR, OTHER_COUNTY_AUDITOR, KEYS.hospital, KEYS.police, KEYS.jcoSupervisor]) {
      expect({ key, now: (await get(url, key)).status, then: (await get(past, key)).status }).toEqual({ key, now: 404, then: 404 });
    }
  });
});
