import { AssessmentModule } from '@atr/assessment';
import { placementStream } from '@atr/contracts';
import { createTestApp, type TestApp } from '@atr/platform/testing/test-app';
import { PlacementModule } from '../placement.module';
import { KEYS, birthFamily, buyerFamily, handOver, refused } from './fixtures';

/**
 * One rescued child from police's hand-over to reintegration, through the real platform with
 * placement and assessment in one process (they still talk only through events).
 */
describe('placement journey (HTTP)', () => {
  let t: TestApp;
  let placementId: string;
  let assessmentId: string;
  let handedOver: { eventId: string; correlationId: string };
  const sw = (method: 'GET' | 'POST', path: string, body?: unknown) => t.request(method, `/placements/${placementId}${path}`, { key: KEYS.socialWorker, body });
  const doctor = (method: 'GET' | 'POST', path: string, body?: unknown) => t.request(method, `/assessments/${assessmentId}${path}`, { key: KEYS.hospitalAssessor, body });

  beforeAll(async () => {
    t = await createTestApp([PlacementModule, AssessmentModule]);
    const seeded = await handOver(t);
    placementId = seeded.placementId;
    handedOver = seeded.event;
  });
  afterAll(() => t.close());

  it('opens the victim file from police’s hand-over, with the buyer families to avoid', async () => {
    const file = await sw('GET', '');
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      placementId,
      status: 'OPEN',
      stayDays: 0,
      civilAffairs: { agencyId: 'yanshan-civil-affairs' },
      handedOverBy: { agencyId: 'yanshan-police' },
      victim: { name: '小花', description: '左臂有胎记，会说壮语', ageYears: 15 },
      buyerFamilies: [buyerFamily],
    });
    const list = await t.request('GET', '/placements', { key: KEYS.socialWorker });
    expect(list.body.items).toEqual([expect.objectContaining({ placementId, status: 'OPEN', victim: { name: '小花', isChild: true, ageYears: 15 } })]);
    const events = await t.store.readStream(placementStream(placementId));
    expect(events.map((e) => e.actor)).toEqual([expect.objectContaining({ agencyId: 'yanshan-civil-affairs', role: 'SYSTEM', userId: 'system:placement' })]);
  });

  it('assigns a shelter and starts the family search', async () => {
    expect((await sw('POST', '/shelter', { shelterName: '砚山县救助管理站' })).body).toMatchObject({ status: 'SHELTERED', shelter: { name: '砚山县救助管理站' } });
    const search = await sw('POST', '/family-search', { channels: ['打拐DNA库', '宝贝回家'] });
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ status: 'FAMILY_SEARCH', familySearch: { channels: ['打拐DNA库', '宝贝回家'] } });
  });

  it('requests a medical assessment from the closest hospital', async () => {
    const response = await sw('POST', '/assessments', { kind: 'MEDICAL', question: '营养与健康状况' });
    expect(response.status).toBe(201);
    expect(response.body.agency).toEqual({ agencyId: 'yanshan-hospital', agencyKind: 'HEALTH', jurisdiction: '532622' });
    assessmentId = response.body.assessmentId;
    await t.settle();
    const list = await t.request('GET', '/assessments', { key: KEYS.hospitalAssessor });
    expect(list.body.items).toEqual([expect.objectContaining({ assessmentId, placementId, kind: 'MEDICAL', status: 'REQUESTED' })]);
    expect((await doctor('GET', '')).body).toMatchObject({ question: '营养与健康状况', victim: { name: '小花' }, requestedBy: { agencyId: 'yanshan-civil-affairs' } });
  });

  it('keeps the assessment from an assessor of another agency', async () => {
    await refused(t, () => t.request('GET', `/assessments/${assessmentId}`, { key: KEYS.federationAssessor }), 404);
    await refused(t, () => t.request('POST', `/assessments/${assessmentId}/schedule`, { key: KEYS.federationAssessor, body: { scheduledFor: '2026-03-05T01:00:00Z', assessor: '徐' } }), 404);
    expect((await t.request('GET', '/assessments', { key: KEYS.federationAssessor })).body.items).toEqual([]);
  });

  it('schedules and completes the assessment, and the result reaches the victim file', async () => {
    await refused(t, () => doctor('POST', '/complete', { outcome: '健康', recommendations: [] }), 409, 'ASSESSMENT_NOT_SCHEDULED');
    expect((await doctor('POST', '/schedule', { scheduledFor: '2026-03-05T01:00:00Z', assessor: '林医生', place: '砚山县人民医院儿科' })).body.status).toBe('SCHEDULED');
    await refused(t, () => doctor('POST', '/complete', { outcome: 'x', recommendations: [], disabilityGrade: 'II' }), 422, 'DISABILITY_GRADE_ONLY_FOR_DISABILITY_ASSESSMENT');
    const done = await doctor('POST', '/complete', { outcome: '轻度营养不良', recommendations: ['补充营养', '三个月后复查'] });
    expect(done.body).toMatchObject({ status: 'COMPLETED', result: { outcome: '轻度营养不良' } });
    await refused(t, () => doctor('POST', '/complete', { outcome: 'again', recommendations: [] }), 409, 'ASSESSMENT_ALREADY_COMPLETED');
    await t.settle();
    const file = await sw('GET', '');
    expect(file.body.assessments).toEqual([
      expect.objectContaining({ assessmentId, kind: 'MEDICAL', agency: expect.objectContaining({ agencyId: 'yanshan-hospital' }), result: expect.objectContaining({ outcome: '轻度营养不良', recommendations: ['补充营养', '三个月后复查'] }) }),
    ]);
  });

  it('never places the child with the buyer family (不得由收买家庭继续抚养)', async () => {
    await refused(t, () => sw('POST', '/reunification', { familyId: buyerFamily.familyId }), 422, 'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN');
    const disguised = { familyId: 'another-id', householdHead: '王某', memberIdNumbers: [buyerFamily.memberIdNumbers[1]], relationship: 'RELATIVES' };
    await refused(t, () => sw('POST', '/families-found', { family: disguised }), 422, 'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN');
    await refused(t, () => sw('POST', '/reunification', { familyId: birthFamily.familyId }), 409, 'FAMILY_NOT_FOUND');
  });

  it('reunifies the child with the birth family once found', async () => {
    expect((await sw('POST', '/families-found', { family: birthFamily })).status).toBe(201);
    const reunified = await sw('POST', '/reunification', { familyId: birthFamily.familyId });
    expect(reunified.status).toBe(200);
    expect(reunified.body).toMatchObject({ status: 'REUNIFIED', reunification: { family: birthFamily } });
  });

  it('refers to school enrolment and legal aid, not vocational training at 15', async () => {
    const school = await sw('POST', '/reintegration-referrals', { service: 'SCHOOL_ENROLMENT', note: '插班五年级' });
    expect(school.status).toBe(201);
    expect(school.body).toMatchObject({ service: 'SCHOOL_ENROLMENT', to: { agencyId: 'yanshan-education' } });
    const training = await refused(t, () => sw('POST', '/reintegration-referrals', { service: 'VOCATIONAL_TRAINING' }), 422, 'VOCATIONAL_TRAINING_REQUIRES_AGE_16');
    expect(training.body.message).toContain('15');
    expect((await sw('POST', '/reintegration-referrals', { service: 'LEGAL_AID' })).body.to.agencyId).toBe('yanshan-justice');
    await t.settle();
    const forSchool = await t.request('GET', '/reintegration-referrals', { key: KEYS.educationProvider });
    expect(forSchool.body.items).toEqual([
      expect.objectContaining({ referralId: school.body.referralId, placementId, service: 'SCHOOL_ENROLMENT', note: '插班五年级', person: expect.objectContaining({ name: '小花', ageYears: 15 }) }),
    ]);
    expect(forSchool.body.items[0].person).not.toHaveProperty('description');
    expect((await t.request('GET', '/reintegration-referrals', { key: KEYS.hrssProvider })).body.items).toEqual([]);
    expect((await t.request('GET', '/reintegration-referrals', { key: KEYS.legalAidProvider })).body.items).toHaveLength(1);
  });

  it('lets no school act on the file (403)', async () => {
    await refused(t, () => t.request('POST', `/placements/${placementId}/shelter`, { key: KEYS.schoolReporter, body: { shelterName: 'x' } }), 403);
    await refused(t, () => t.request('GET', `/placements/${placementId}`, { key: KEYS.educationProvider }), 403);
    await refused(t, () => t.request('GET', '/reintegration-referrals', { key: KEYS.schoolReporter }), 403);
    await refused(t, () => t.request('GET', '/placements', { key: KEYS.civilAffairsReporter }), 403);
  });

  it('records a follow-up visit and closes the file on reintegration', async () => {
    const visitedAt = t.clock.now().toISOString();
    expect((await sw('POST', '/follow-up-visits', { visitedAt, notes: '已入学，适应良好', wellbeing: 'GOOD' })).status).toBe(201);
    const closed = await sw('POST', '/reintegration', { summary: '返回亲生父母身边，已入学' });
    expect(closed.body).toMatchObject({ status: 'REINTEGRATED', reintegration: { summary: '返回亲生父母身边，已入学' } });
    await refused(t, () => sw('POST', '/shelter', { shelterName: 'x' }), 409, 'PLACEMENT_CLOSED');
    await refused(t, () => sw('POST', '/reintegration-referrals', { service: 'LEGAL_AID' }), 409, 'PLACEMENT_CLOSED');
    const later = await sw('POST', '/follow-up-visits', { visitedAt, notes: '回访：情况稳定', wellbeing: 'GOOD' });
    expect(later.status).toBe(201);
    expect(later.body.visits).toHaveLength(2);
    await t.settle();
    const list = await t.request('GET', '/placements?status=REINTEGRATED', { key: KEYS.socialWorker });
    expect(list.body.items.map((i: { placementId: string }) => i.placementId)).toEqual([placementId]);
    expect((await t.request('GET', '/placements?status=OPEN', { key: KEYS.socialWorker })).body.items).toEqual([]);
  });

  it('records the journey under the clue’s correlation id, each event caused by the previous step', async () => {
    const events = await t.store.readStream(placementStream(placementId));
    expect(new Set(events.map((e) => e.correlationId))).toEqual(new Set([handedOver.correlationId]));
    expect(events[0].causationId).toBe(handedOver.eventId);
    const [completed] = (await t.store.readStream(`assessment-${assessmentId}`)).filter((e) => e.type === 'AssessmentCompleted');
    expect(completed.correlationId).toBe(handedOver.correlationId);
    events.forEach((e, i) => {
      if (e.type === 'AssessmentResultReceived') expect(e.causationId).toBe(completed.eventId);
      else if (i > 0) expect(e.causationId).toBe(events[i - 1].eventId);
    });
    expect(events.map((e) => e.type)).toEqual([
      'PlacementOpened',
      'ShelterAssigned',
      'FamilySearchStarted',
      'AssessmentRequested',
      'AssessmentResultReceived',
      'FamilyFound',
      'VictimReunified',
      'ReintegrationReferred',
      'ReintegrationReferred',
      'FollowUpVisitRecorded',
      'VictimReintegrated',
      'FollowUpVisitRecorded',
    ]);
  });
});
