import { AssessmentModule } from '@atr/assessment';
import { caseStream, placementStream, type StoredEvent } from '@atr/contracts';
import { READ_MODELS, type ReadModels } from '@atr/platform';
import { createTestApp, type TestApp } from '@atr/platform/testing/test-app';
import { HandoverConsumer } from '../placement/handover.consumer';
import { PlacementModule } from '../placement.module';
import { DAY_MS, KEYS, aVictim, birthFamily, handOver, refused, wenshanshiCivilAffairs, yanshanPolice } from './fixtures';

describe('placement rules and access (HTTP)', () => {
  let t: TestApp;
  const post = (placementId: string, path: string, body: unknown = {}) => t.request('POST', `/placements/${placementId}${path}`, { key: KEYS.socialWorker, body });

  beforeAll(async () => {
    t = await createTestApp([PlacementModule, AssessmentModule]);
  });
  afterAll(() => t.close());

  describe('household registration (落户), with the manual clock', () => {
    it('is refused before the minimum stay, then hands over to police', async () => {
      const { placementId } = await handOver(t);
      const early = await refused(t, () => post(placementId, '/household-registration'), 409, 'MIN_STAY_NOT_REACHED');
      expect(early.body.message).toContain('90 day(s) remain');
      t.clock.advance(89 * DAY_MS);
      expect((await refused(t, () => post(placementId, '/household-registration'), 409, 'MIN_STAY_NOT_REACHED')).body.message).toContain('1 day(s) remain');
      t.clock.advance(DAY_MS);
      const applied = await post(placementId, '/household-registration');
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({ status: 'HOUSEHOLD_REGISTRATION_APPLIED', stayDays: 90, householdRegistration: { stayDays: 90, to: yanshanPolice } });
      const [last] = (await t.store.readStream(placementStream(placementId))).slice(-1);
      expect(last).toMatchObject({ type: 'HouseholdRegistrationApplied', payload: { handoff: { from: { agencyId: 'yanshan-civil-affairs' }, to: yanshanPolice } } });
      await refused(t, () => post(placementId, '/household-registration'), 409, 'HOUSEHOLD_REGISTRATION_ALREADY_APPLIED');
    });

    it('is refused once a family was found, whatever the stay', async () => {
      const { placementId } = await handOver(t);
      expect((await post(placementId, '/families-found', { family: birthFamily })).status).toBe(201);
      t.clock.advance(365 * DAY_MS);
      await refused(t, () => post(placementId, '/household-registration'), 409, 'FAMILY_FOUND');
    });
  });

  it('opens one file when the same hand-over is delivered twice', async () => {
    const { event, caseId, placementId } = await handOver(t);
    expect((await t.store.append(caseStream(caseId), [event], 'any')).alreadyAppended).toBe(true);
    const [stored] = await t.store.readStream(caseStream(caseId));
    const before = await t.store.headPosition();
    await t.app.get(HandoverConsumer).handle(stored as StoredEvent); // a redelivery, as after a crash
    await t.settle();
    expect(await t.store.headPosition()).toBe(before);
    const events = await t.store.readStream(placementStream(placementId));
    expect(events.filter((e) => e.type === 'PlacementOpened')).toHaveLength(1);
  });

  it('hides another county’s placement (404) and lists only the caller’s jurisdiction', async () => {
    const { placementId } = await handOver(t, { handoff: { from: yanshanPolice, to: wenshanshiCivilAffairs, reason: '移交文山市民政' } });
    expect(await t.store.readStream(placementStream(placementId))).toHaveLength(1);
    await refused(t, () => t.request('GET', `/placements/${placementId}`, { key: KEYS.socialWorker }), 404);
    await refused(t, () => post(placementId, '/shelter', { shelterName: 'x' }), 404);
    const unknown = await refused(t, () => t.request('GET', '/placements/6f1c2b7e-7d1a-4c55-9a51-0d3b7c1e2f40', { key: KEYS.socialWorker }), 404);
    const hidden = await refused(t, () => t.request('GET', `/placements/${placementId}`, { key: KEYS.socialWorker }), 404);
    expect(hidden.body.error).toBe(unknown.body.error);
    const list = await t.request('GET', '/placements', { key: KEYS.socialWorker });
    expect(list.body.items.map((i: { jurisdiction: string }) => i.jurisdiction)).not.toContain('532601');
    expect(list.body.items.length).toBeGreaterThan(0);
  });

  it('names the field of bad input (400)', async () => {
    const { placementId } = await handOver(t);
    const missing = await refused(t, () => post(placementId, '/shelter', {}), 400);
    expect(missing.body.issues).toEqual([expect.objectContaining({ path: 'shelterName' })]);
    const extra = await refused(t, () => post(placementId, '/shelter', { shelterName: 'x', bed: 3 }), 400);
    expect(extra.body.message).toContain('bed');
    const badFamily = await refused(t, () => post(placementId, '/families-found', { family: { ...birthFamily, memberIdNumbers: ['123'] } }), 400);
    expect(badFamily.body.issues[0].path).toBe('family.memberIdNumbers.0');
    await refused(t, () => t.request('GET', '/placements/not-a-uuid', { key: KEYS.socialWorker }), 400);
    await refused(t, () => t.request('GET', '/placements?status=LOST', { key: KEYS.socialWorker }), 400);
  });

  it('sends each assessment to an agency of the right kind', async () => {
    const { placementId } = await handOver(t);
    expect((await post(placementId, '/assessments', { kind: 'DISABILITY' })).body.agency.agencyId).toBe('yanshan-disabled-federation');
    expect((await post(placementId, '/assessments', { kind: 'PSYCHOLOGICAL' })).body.agency.agencyId).toBe('yanshan-hospital');
    expect((await post(placementId, '/assessments', { kind: 'RISK' })).body.agency.agencyId).toBe('yanshan-civil-affairs');
    await refused(t, () => post(placementId, '/assessments', { kind: 'DISABILITY', agencyId: 'yanshan-hospital' }), 422, 'ASSESSING_AGENCY_UNSUITABLE');
    await refused(t, () => post(placementId, '/assessments', { kind: 'MEDICAL', agencyId: 'no-such-hospital' }), 422, 'ASSESSING_AGENCY_UNKNOWN');
  });

  it('refers a 16-year-old to vocational training, and refuses when the age is unknown', async () => {
    const older = await handOver(t, { victim: aVictim({ isChild: false, ageYears: 17 }) });
    const training = await post(older.placementId, '/reintegration-referrals', { service: 'VOCATIONAL_TRAINING' });
    expect(training.status).toBe(201);
    expect(training.body.to).toEqual({ agencyId: 'yanshan-hrss', agencyKind: 'HR_SOCIAL_SECURITY', jurisdiction: '532622' });
    const unknownAge = await handOver(t, { victim: aVictim({ ageYears: undefined }) });
    const refusal = await refused(t, () => post(unknownAge.placementId, '/reintegration-referrals', { service: 'VOCATIONAL_TRAINING' }), 422, 'VOCATIONAL_TRAINING_REQUIRES_AGE_16');
    expect(refusal.body.message).toContain('unknown');
    await t.settle();
    expect((await t.request('GET', '/reintegration-referrals', { key: KEYS.hrssProvider })).body.items).toEqual([
      expect.objectContaining({ placementId: older.placementId, service: 'VOCATIONAL_TRAINING', person: expect.objectContaining({ ageYears: 17 }) }),
    ]);
  });

  it('keeps read models equal to a replay of the log', async () => {
    await t.settle();
    const reports = await t.app.get<ReadModels>(READ_MODELS).verifyReplay();
    expect(reports.map((r) => [r.projection, r.equal])).toEqual(
      expect.arrayContaining([
        ['placement_files', true],
        ['placement_referrals', true],
        ['assessment_requests', true],
      ]),
    );
  });
});
