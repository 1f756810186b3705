import { placementStream } from '@atr/contracts';
import { agenciesWithOutsideAuditors, OTHER_COUNTY_AUDITOR, OTHER_PROVINCE_AUDITOR } from '@atr/platform/testing/outside-auditors';
import { createTestApp, type TestApp } from '@atr/platform/testing/test-app';
import { PlacementModule } from '../placement.module';
import { KEYS, birthFamily, DAY_MS, handOver, refused } from '../testing/fixtures';

const AUDITORS = { jcoAuditor: 'demo-jco-auditor', jcoSupervisor: 'demo-jco-supervisor', procuratorateAuditor: 'demo-procuratorate-auditor' } as const;

// A victim file as it was (time travel): placement folds its stream with its own decider up to an
// instant or a global position, for civil affairs and for auditors.
describe('a placement file as it was', () => {
  let t: TestApp;
  let placementId: string;
  let url: string;
  let reunifiedAt: number;
  beforeAll(async () => {
    t = await createTestApp([PlacementModule], { AGENCIES_FILE: agenciesWithOutsideAuditors() });
    t.clock.set('2026-03-03T03:00:00.000Z');
    ({ placementId } = await handOver(t));
    url = `/placements/${placementId}`;
    const sw = (path: string, body: unknown) => t.request('POST', `${url}${path}`, { key: KEYS.socialWorker, body });
    t.clock.advance(DAY_MS);
    expect((await sw('/shelter', { shelterName: '砚山县救助管理站' })).status).toBe(200);
    expect((await sw('/families-found', { family: birthFamily })).status).toBe(201);
    t.clock.advance(10 * DAY_MS); // day 11
    expect((await sw('/reunification', { familyId: birthFamily.familyId })).body.status).toBe('REUNIFIED');
    reunifiedAt = (await t.store.readStream(placementStream(placementId))).at(-1)!.globalPosition;
    t.clock.advance(20 * DAY_MS); // day 31
  });
  afterAll(() => t.close());

  const get = (path: string, key: string) => t.request('GET', path, { key });

  it('before reunification: FAMILY_FOUND, no reunification, the stay counted to that instant', async () => {
    const now = await get(url, AUDITORS.jcoAuditor);
    expect(now.body).toMatchObject({ status: 'REUNIFIED', stayDays: 11, reunification: { family: { familyId: birthFamily.familyId } } });
    expect(now.body.evaluatedAt).toBeUndefined();

    const before = await get(`${url}?asOf=2026-03-13T03:00:00Z`, AUDITORS.procuratorateAuditor);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'FAMILY_FOUND', reunification: null, stayDays: 10, shelter: { name: '砚山县救助管理站' } });
    expect(before.body).toMatchObject({ asOf: '2026-03-13T03:00:00.000Z', evaluatedAt: '2026-03-13T03:00:00.000Z', lastPosition: reunifiedAt - 1 });

    // just before VictimReunified the log was at the family found, on day 1
    const byPosition = await get(`${url}?position=${reunifiedAt - 1}`, KEYS.socialWorker);
    expect(byPosition.body).toMatchObject({ status: 'FAMILY_FOUND', reunification: null, stayDays: 1, position: reunifiedAt - 1, evaluatedAt: '2026-03-04T03:00:00.000Z' });

    const opened = await get(`${url}?asOf=2026-03-03T03:00:00.000Z`, AUDITORS.jcoSupervisor);
    expect(opened.body).toMatchObject({ status: 'OPEN', shelter: null, familiesFound: [], stayDays: 0 });
  });

  it('did not exist before the hand-over (404), and refuses bad parameters (400)', async () => {
    await refused(t, () => get(`${url}?asOf=2026-03-03T02:59:59.999Z`, AUDITORS.jcoAuditor), 404);
    const [opened] = await t.store.readStream(placementStream(placementId));
    await refused(t, () => get(`${url}?position=${opened.globalPosition - 1}`, KEYS.socialWorker), 404);
    const both = await refused(t, () => get(`${url}?asOf=2026-03-13T03:00:00Z&position=${reunifiedAt}`, AUDITORS.jcoAuditor), 400);
    expect(both.body.issues.map((i: { path: string }) => i.path)).toEqual(['position']);
    const bad = await refused(t, () => get(`${url}?asOf=yesterday`, AUDITORS.jcoAuditor), 400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['asOf']);
  });

  it('shows the past to the same callers as the present: other jurisdictions 404, other kinds and roles 403', async () => {
    const past = `${url}?asOf=2026-03-13T03:00:00Z`;
    for (const key of [...Object.values(AUDITORS), KEYS.socialWorker]) expect((await get(past, key)).status).toBe(200);
    for (const key of [OTHER_PROVINCE_AUDITOR, OTHER_COUNTY_AUDITOR]) {
      await refused(t, () => get(url, key), 404);
      await refused(t, () => get(past, key), 404);
    }
    for (const key of [KEYS.hospitalAssessor, KEYS.schoolReporter, KEYS.civilAffairsReporter, 'demo-yanshan-police-officer']) {
      await refused(t, () => get(past, key), 403);
    }
    // auditors read, they never act
    await refused(t, () => t.request('POST', `${url}/follow-up-visits`, { key: AUDITORS.jcoAuditor, body: { visitedAt: '2026-03-20T03:00:00Z', notes: 'x', wellbeing: 'GOOD' } }), 403);
  });
});
