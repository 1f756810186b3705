import { assessmentStream } from '@atr/contracts';
import { agenciesWithOutsideAuditors, OTHER_COUNTY_AUDITOR, OTHER_PROVINCE_AUDITOR } from '@atr/platform/testing/outside-auditors';
import { createTestApp, type TestApp } from '@atr/platform/testing/test-app';
import { AssessmentModule } from '../assessment.module';
import { hospital, KEYS, refused, requestAssessment } from '../testing/fixtures';

const AUDITORS = { jcoAuditor: 'demo-jco-auditor', jcoSupervisor: 'demo-jco-supervisor', procuratorateAuditor: 'demo-procuratorate-auditor' } as const;

// An assessment as it was (time travel): the assessment service folds its stream with its own
// decider up to an instant or a global position, for the assessing agency and for auditors.
describe('an assessment as it was', () => {
  let t: TestApp;
  let url: string;
  let positions: number[];
  beforeAll(async () => {
    t = await createTestApp([AssessmentModule], { AGENCIES_FILE: agenciesWithOutsideAuditors() });
    t.clock.set('2026-03-03T03:00:00.000Z');
    const { assessmentId } = await requestAssessment(t, 'MEDICAL', hospital);
    url = `/assessments/${assessmentId}`;
    t.clock.set('2026-03-03T08:00:00.000Z');
    const doctor = (path: string, body: unknown) => t.request('POST', `${url}${path}`, { key: KEYS.hospitalAssessor, body });
    expect((await doctor('/schedule', { scheduledFor: '2026-03-04T01:00:00Z', assessor: '林医生' })).status).toBe(200);
    t.clock.set('2026-03-04T02:00:00.000Z');
    expect((await doctor('/complete', { outcome: '身体健康，轻度营养不良', recommendations: ['营养补充'] })).body.status).toBe('COMPLETED');
    positions = (await t.store.readStream(assessmentStream(assessmentId))).map((e) => e.globalPosition);
    t.clock.set('2026-03-10T00:00:00.000Z');
  });
  afterAll(() => t.close());

  const get = (path: string, key: string) => t.request('GET', path, { key });

  it('before completion: SCHEDULED with no result; before scheduling: REQUESTED', async () => {
    const now = await get(url, AUDITORS.jcoAuditor);
    expect(now.body).toMatchObject({ status: 'COMPLETED', revision: 2, result: { outcome: '身体健康，轻度营养不良' } });
    expect(now.body.lastPosition).toBeUndefined();

    const [opened, scheduled, completed] = positions;
    const beforeCompletion = await get(`${url}?position=${completed - 1}`, AUDITORS.procuratorateAuditor);
    expect(beforeCompletion.status).toBe(200);
    expect(beforeCompletion.body).toMatchObject({ status: 'SCHEDULED', revision: 1, result: null, schedule: { assessor: '林医生' }, position: completed - 1, lastPosition: scheduled });

    const requested = await get(`${url}?asOf=2026-03-03T07:59:59Z`, KEYS.hospitalAssessor);
    expect(requested.body).toMatchObject({ status: 'REQUESTED', revision: 0, schedule: null, result: null, lastPosition: opened, asOf: '2026-03-03T07:59:59.000Z' });
    expect((await get(`${url}?asOf=2026-03-04T10:00:00%2B08:00`, AUDITORS.jcoSupervisor)).body).toMatchObject({ status: 'COMPLETED', lastPosition: completed });
  });

  it('did not exist before the request arrived (404), and refuses bad parameters (400)', async () => {
    await refused(t, () => get(`${url}?asOf=2026-03-03T02:59:59Z`, AUDITORS.jcoAuditor), 404);
    await refused(t, () => get(`${url}?position=${positions[0] - 1}`, KEYS.hospitalAssessor), 404);
    const both = await refused(t, () => get(`${url}?asOf=2026-03-03T07:59:59Z&position=${positions[0]}`, AUDITORS.jcoAuditor), 400);
    expect(both.body.issues.map((i: { path: string }) => i.path)).toEqual(['position']);
    const bad = await refused(t, () => get(`${url}?asOf=2026-03-03T07:59:59`, AUDITORS.jcoAuditor), 400); // no offset
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['asOf']);
  });

  it('shows the past to the same callers as the present: other agencies and jurisdictions 404, other roles and kinds 403', async () => {
    const past = `${url}?position=${positions[1]}`;
    for (const key of [...Object.values(AUDITORS), KEYS.hospitalAssessor]) expect((await get(past, key)).status).toBe(200);
    for (const key of [OTHER_PROVINCE_AUDITOR, OTHER_COUNTY_AUDITOR, KEYS.federationAssessor]) {
      await refused(t, () => get(url, key), 404);
      await refused(t, () => get(past, key), 404);
    }
    for (const key of [KEYS.socialWorker, KEYS.hospitalReporter, 'demo-yanshan-police-officer']) await refused(t, () => get(past, key), 403);
    await refused(t, () => t.request('POST', `${url}/schedule`, { key: AUDITORS.jcoAuditor, body: { scheduledFor: '2026-03-04T01:00:00Z', assessor: '审计' } }), 403);
  });
});
