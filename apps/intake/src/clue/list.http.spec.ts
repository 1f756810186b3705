import { READ_MODELS, type ReadModels } from '@atr/platform';
import { IntakeModule } from '../intake.module';
import { bodies, createTestApp, KEYS, policeDoes, streamOf, submit, type TestApp } from '../testing/http';

describe('GET /clues', () => {
  let t: TestApp;
  const ids: string[] = [];
  beforeAll(async () => {
    t = await createTestApp([IntakeModule]);
    for (let i = 0; i < 5; i++) {
      t.clock.advanceMinutes(1);
      const res = await submit(t, 'public-tips', KEYS.publicPortal, bodies.publicTip({ summary: `举报 ${i} 号：可疑儿童 🧒` }));
      ids.push(res.body.clueId);
    }
    await t.settle();
    // police accept the second clue
    const referralId = (await streamOf(t, ids[1]))[2].payload.referralId as string;
    await policeDoes(t, ids[1], referralId, 'ReferralAccepted', { caseId: '6b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', mode: 'OPENED_CASE' });
    await submit(t, 'school-reports', KEYS.school, bodies.school()); // another agency's clue
    await t.settle();
  });
  afterAll(() => t.close());

  it("lists the agency's own clues, newest first", async () => {
    const res = await t.request('GET', '/clues', { key: KEYS.publicPortal });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { clueId: string }) => i.clueId)).toEqual([...ids].reverse());
    expect(res.body.next).toBeNull();
    expect(res.body.items[4]).toMatchObject({
      clueId: ids[0],
      source: 'PUBLIC_TIP',
      status: 'REFERRED',
      category: 'OTHER',
      priority: 'NORMAL',
      summary: '举报 0 号：可疑儿童 🧒',
      divisionCode: '532622',
      submittedAt: '2026-03-03T03:01:00.000Z',
      acknowledgeBy: '2026-03-06T03:01:00.000Z',
      duplicateOf: null,
    });
  });

  it('filters by status', async () => {
    const res = await t.request('GET', '/clues?status=ACCEPTED', { key: KEYS.publicPortal });
    expect(res.body.items.map((i: { clueId: string }) => i.clueId)).toEqual([ids[1]]);
  });

  it('pages with limit and after', async () => {
    const first = await t.request('GET', '/clues?limit=2', { key: KEYS.publicPortal });
    expect(first.body.items.map((i: { clueId: string }) => i.clueId)).toEqual([ids[4], ids[3]]);
    const second = await t.request('GET', `/clues?limit=2&after=${first.body.next}`, { key: KEYS.publicPortal });
    expect(second.body.items.map((i: { clueId: string }) => i.clueId)).toEqual([ids[2], ids[1]]);
    const third = await t.request('GET', `/clues?limit=2&after=${second.body.next}`, { key: KEYS.publicPortal });
    expect(third.body).toMatchObject({ items: [{ clueId: ids[0] }], next: null });
  });

  it('names a bad query parameter (400)', async () => {
    const res = await t.request('GET', '/clues?status=LOST&limit=0', { key: KEYS.publicPortal });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['limit', 'status']);
  });

  it('rebuilds to the same rows by replay from position 0', async () => {
    const reports = await t.app.get<ReadModels>(READ_MODELS).verifyReplay();
    const mine = reports.find((r) => r.projection === 'intake_clues');
    expect(mine).toMatchObject({ equal: true });
    expect(mine!.tables.find((x) => x.table === 'intake_clues')!.liveRows).toBe(6);
  });
});
