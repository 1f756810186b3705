import { assessmentStream, placementStream } from '@atr/contracts';
import { createTestApp, type TestApp } from '@atr/platform/testing/test-app';
import { AssessmentRequestsConsumer } from '../assessment/assessment-requests.consumer';
import { AssessmentModule } from '../assessment.module';
import { KEYS, civilAffairs, federation, hospital, refused, requestAssessment } from './fixtures';

describe('assessment (HTTP)', () => {
  let t: TestApp;
  let medical: { assessmentId: string; placementId: string };
  let disability: { assessmentId: string; placementId: string };
  const as = (key: string, method: 'GET' | 'POST', url: string, body?: unknown) => t.request(method, url, { key, body });

  beforeAll(async () => {
    t = await createTestApp([AssessmentModule]);
    medical = await requestAssessment(t, 'MEDICAL', hospital);
    disability = await requestAssessment(t, 'DISABILITY', federation);
  });
  afterAll(() => t.close());

  it('opens each request for the agency it is addressed to', async () => {
    const list = await as(KEYS.hospitalAssessor, 'GET', '/assessments');
    expect(list.body.items).toEqual([expect.objectContaining({ assessmentId: medical.assessmentId, status: 'REQUESTED', kind: 'MEDICAL', scheduledFor: null })]);
    const file = await as(KEYS.hospitalAssessor, 'GET', `/assessments/${medical.assessmentId}`);
    expect(file.body).toMatchObject({ placementId: medical.placementId, status: 'REQUESTED', requestedBy: civilAffairs, agency: hospital, question: '请评估身体状况', victim: { name: '小明' } });
    const [opened] = await t.store.readStream(assessmentStream(medical.assessmentId));
    expect(opened.actor).toMatchObject({ agencyId: 'yanshan-hospital', role: 'SYSTEM', userId: 'system:assessment' });
  });

  it('opens one assessment when the request is delivered twice', async () => {
    const [stored] = await t.store.readStream(placementStream(medical.placementId));
    const before = await t.store.headPosition();
    await t.app.get(AssessmentRequestsConsumer).handle(stored);
    expect(await t.store.headPosition()).toBe(before);
    expect(await t.store.readStream(assessmentStream(medical.assessmentId))).toHaveLength(1);
  });

  it('hides an assessment from assessors of other agencies, and from other roles', async () => {
    await refused(t, () => as(KEYS.federationAssessor, 'GET', `/assessments/${medical.assessmentId}`), 404);
    await refused(t, () => as(KEYS.federationAssessor, 'POST', `/assessments/${medical.assessmentId}/schedule`, { scheduledFor: '2026-03-04T01:00:00Z', assessor: '徐' }), 404);
    await refused(t, () => as(KEYS.hospitalAssessor, 'GET', '/assessments/6f1c2b7e-7d1a-4c55-9a51-0d3b7c1e2f40'), 404);
    await refused(t, () => as(KEYS.hospitalReporter, 'GET', '/assessments'), 403);
    await refused(t, () => as(KEYS.socialWorker, 'GET', `/assessments/${medical.assessmentId}`), 403);
    expect((await as(KEYS.federationAssessor, 'GET', '/assessments')).body.items.map((i: { assessmentId: string }) => i.assessmentId)).toEqual([disability.assessmentId]);
  });

  it('must be scheduled before it is completed, and may be rescheduled', async () => {
    const url = `/assessments/${medical.assessmentId}`;
    await refused(t, () => as(KEYS.hospitalAssessor, 'POST', `${url}/complete`, { outcome: '健康', recommendations: [] }), 409, 'ASSESSMENT_NOT_SCHEDULED');
    await refused(t, () => as(KEYS.hospitalAssessor, 'POST', `${url}/schedule`, { scheduledFor: 'tomorrow', assessor: '林医生' }), 400);
    expect((await as(KEYS.hospitalAssessor, 'POST', `${url}/schedule`, { scheduledFor: '2026-03-04T01:00:00Z', assessor: '林医生' })).status).toBe(200);
    const moved = await as(KEYS.hospitalAssessor, 'POST', `${url}/schedule`, { scheduledFor: '2026-03-06T01:00:00Z', assessor: '林医生', place: '儿科门诊' });
    expect(moved.body).toMatchObject({ status: 'SCHEDULED', schedule: { scheduledFor: '2026-03-06T01:00:00Z', place: '儿科门诊' } });
    await t.settle();
    expect((await as(KEYS.hospitalAssessor, 'GET', '/assessments?status=SCHEDULED')).body.items).toEqual([
      expect.objectContaining({ assessmentId: medical.assessmentId, scheduledFor: '2026-03-06T01:00:00Z' }),
    ]);
  });

  it('completes once, handing the result back to civil affairs', async () => {
    const url = `/assessments/${medical.assessmentId}`;
    await refused(t, () => as(KEYS.hospitalAssessor, 'POST', `${url}/complete`, { outcome: 'x', recommendations: [], disabilityGrade: 'I' }), 422, 'DISABILITY_GRADE_ONLY_FOR_DISABILITY_ASSESSMENT');
    const done = await as(KEYS.hospitalAssessor, 'POST', `${url}/complete`, { outcome: '身体健康', recommendations: ['定期体检'] });
    expect(done.body).toMatchObject({ status: 'COMPLETED', result: { outcome: '身体健康', recommendations: ['定期体检'] } });
    const [completed] = (await t.store.readStream(assessmentStream(medical.assessmentId))).slice(-1);
    expect(completed).toMatchObject({ type: 'AssessmentCompleted', payload: { placementId: medical.placementId, handoff: { from: hospital, to: civilAffairs } } });
    await refused(t, () => as(KEYS.hospitalAssessor, 'POST', `${url}/complete`, { outcome: 'again', recommendations: [] }), 409, 'ASSESSMENT_ALREADY_COMPLETED');
    await refused(t, () => as(KEYS.hospitalAssessor, 'POST', `${url}/schedule`, { scheduledFor: '2026-03-07T01:00:00Z', assessor: '林医生' }), 409, 'ASSESSMENT_ALREADY_COMPLETED');
    await t.settle();
    expect((await as(KEYS.hospitalAssessor, 'GET', '/assessments?status=COMPLETED')).body.items).toHaveLength(1);
    expect((await as(KEYS.hospitalAssessor, 'GET', '/assessments?status=REQUESTED')).body.items).toEqual([]);
  });

  it('grades a disability (残疾等级评定)', async () => {
    const url = `/assessments/${disability.assessmentId}`;
    await as(KEYS.federationAssessor, 'POST', `${url}/schedule`, { scheduledFor: '2026-03-05T02:00:00Z', assessor: '徐评定员' });
    const done = await as(KEYS.federationAssessor, 'POST', `${url}/complete`, { outcome: '肢体残疾', recommendations: ['康复训练'], disabilityGrade: 'III' });
    expect(done.body).toMatchObject({ status: 'COMPLETED', result: { disabilityGrade: 'III' } });
  });
});
