import { client, eventually } from './platform-process';

/**
 * One clue's whole journey over HTTP: a school reports a missing pupil, police open a child case
 * and rescue her, civil affairs shelters and assesses her, refuses the buyer family and reunites
 * her with her birth family, and the auditor sees every hand-off in order with actor and
 * causation. Run against the embedded platform (journey.e2e.spec.ts) and against every service
 * in its own process over Kafka (distributed-journey.e2e.spec.ts): same requests, same answers.
 */
export async function runJourney(baseUrl: string, options: { handoffTimeoutMs?: number } = {}): Promise<void> {
  const as = (key: string) => client(baseUrl, key);
  const timeout = options.handoffTimeoutMs ?? 10_000;
  const school = as('demo-school-reporter');
  const officer = as('demo-yanshan-police-officer');
  const leader = as('demo-yanshan-police-leader');
  const socialWorker = as('demo-civil-affairs-social-worker');
  const doctor = as('demo-hospital-assessor');
  const auditor = as('demo-jco-auditor');

  // 1. Submission (idempotent: the clerk's retry returns the same clue)
  const report = {
    location: { divisionCode: '532622', address: '砚山县江那镇' },
    summary: '五年级学生小芳连续两周未到校，其“姑姑”称已带往外省打工',
    child: { name: '小芳', birthDate: '2014-05-01', sex: 'F' },
    childMissing: true,
    schoolName: '砚山县第一小学',
    reason: 'UNEXPLAINED_DROPOUT',
    student: { name: '小芳', birthDate: '2014-05-01', sex: 'F' },
  };
  const submitted = await school('POST', '/clues/school-reports', report, { 'idempotency-key': 'school-2026-0042' });
  expect(submitted.status).toBe(201);
  expect(submitted.body).toMatchObject({ priority: 'URGENT', category: 'CHILD_TRAFFICKING', routedTo: { agencyId: 'yanshan-police', queue: 'UNIT' } });
  const clueId: string = submitted.body.clueId;
  const retried = await school('POST', '/clues/school-reports', report, { 'idempotency-key': 'school-2026-0042' });
  expect(retried.status).toBe(200);
  expect(retried.body.clueId).toBe(clueId);

  // 2. Referral reaches the county police inbox; another county cannot see it
  const referral = await eventually(async () => {
    const inbox = await officer('GET', '/referrals');
    return inbox.body.items?.find((r: { clueId: string }) => r.clueId === clueId);
  }, 'the referral in the inbox', timeout);
  expect(referral.priority).toBe('URGENT');
  const neighbour = await as('demo-wenshanshi-police-officer')('GET', `/referrals/${referral.referralId}`);
  expect(neighbour.status).toBe(404);
  expect((await school('POST', `/referrals/${referral.referralId}/acknowledge`)).status).toBe(403);

  // 3. Police acknowledge, ask the school for more, the school answers
  expect((await officer('POST', `/referrals/${referral.referralId}/acknowledge`)).status).toBe(200);
  const asked = await officer('POST', `/referrals/${referral.referralId}/information-requests`, { question: '“姑姑”的姓名和电话？' });
  expect(asked.status).toBe(201);
  const { requestId } = asked.body;
  await eventually(async () => (await school('GET', `/clues/${clueId}/status`)).body.openQuestions?.length > 0, 'the question at the school', timeout);
  expect((await school('POST', `/clues/${clueId}/information`, { requestId, answer: '自称姓王，电话 138xxxx0000' })).status).toBe(201);
  await eventually(async () => {
    const detail = await officer('GET', `/referrals/${referral.referralId}`);
    return detail.body.informationRequests?.[0]?.answers?.length > 0;
  }, 'the answer at the police unit', timeout);

  // 4. A child case with a task-force leader
  const accepted = await leader('POST', `/referrals/${referral.referralId}/accept`, { title: '小芳被拐案' });
  expect(accepted.status).toBe(200);
  const caseId: string = accepted.body.caseId;
  const closeTooEarly = await leader('POST', `/cases/${caseId}/close`, { reason: '暂无进展' });
  expect(closeTooEarly.status).toBe(409);
  expect(closeTooEarly.body.rule).toBe('CHILD_CASE_CLOSE_REQUIRES_SOLVED');
  expect((await leader('DELETE', `/cases/${caseId}/task-force-leader`)).body.rule).toBe('TASK_FORCE_LEADER_NEEDS_SUCCESSOR');
  expect((await leader('POST', `/cases/${caseId}/dna-samples`, { sampleId: 'YS-DNA-001', subject: 'PARENT', laboratory: '文山州公安局DNA实验室' })).status).toBe(201);
  expect((await leader('POST', `/cases/${caseId}/missing-child-alerts`, { child: { name: '小芳', birthDate: '2014-05-01', sex: 'F' } })).status).toBe(201);
  const buyer = { familyId: 'buyer-family-1', householdHead: '李某', memberIdNumbers: ['532622198001011234'] };
  expect((await leader('POST', `/cases/${caseId}/buyer-families`, { family: buyer })).status).toBe(201);
  const rescued = await leader('POST', `/cases/${caseId}/rescues`, {
    victim: { name: '小芳', birthDate: '2014-05-01', sex: 'F', isChild: true, ageYears: 12 },
    rescuedAt: new Date(Date.now() - 60_000).toISOString(),
    place: '外省某村',
  });
  expect(rescued.status).toBe(201);
  const { placementId } = rescued.body;

  // 5. Civil affairs receives the victim, shelters her, asks for a medical assessment
  await eventually(async () => (await socialWorker('GET', `/placements/${placementId}`)).status === 200, 'the placement file', timeout);
  expect((await socialWorker('POST', `/placements/${placementId}/shelter`, { shelterName: '砚山县救助管理站' })).status).toBe(200);
  const requested = await socialWorker('POST', `/placements/${placementId}/assessments`, { kind: 'MEDICAL', question: '身体状况评估' });
  expect(requested.status).toBe(201);
  const { assessmentId } = requested.body;
  await eventually(async () => (await doctor('GET', `/assessments/${assessmentId}`)).status === 200, 'the assessment at the hospital', timeout);
  expect((await doctor('POST', `/assessments/${assessmentId}/schedule`, { scheduledFor: new Date(Date.now() + 3_600_000).toISOString(), assessor: '林医生' })).status).toBe(200);
  expect((await doctor('POST', `/assessments/${assessmentId}/complete`, { outcome: '身体健康，轻度营养不良', recommendations: ['营养补充', '心理疏导'] })).status).toBe(200);
  await eventually(async () => {
    const file = await socialWorker('GET', `/placements/${placementId}`);
    return file.body.assessments?.[0]?.result;
  }, 'the assessment result in the victim file', timeout);

  // 6. Never the buyer family; the birth family instead
  const refused = await socialWorker('POST', `/placements/${placementId}/families-found`, {
    family: { familyId: 'buyer-family-1', householdHead: '李某', relationship: 'BIRTH_PARENTS', memberIdNumbers: [] },
  });
  expect(refused.status).toBe(422);
  expect(refused.body.rule).toBe('PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN');
  const birth = { familyId: 'birth-family-1', householdHead: '张某', relationship: 'BIRTH_PARENTS', memberIdNumbers: ['532622198502025678'] };
  expect((await socialWorker('POST', `/placements/${placementId}/families-found`, { family: birth })).status).toBe(201);
  expect((await socialWorker('POST', `/placements/${placementId}/reunification`, { familyId: 'birth-family-1' })).status).toBe(200);
  expect((await socialWorker('POST', `/placements/${placementId}/reintegration-referrals`, { service: 'SCHOOL_ENROLMENT' })).status).toBe(201);
  const training = await socialWorker('POST', `/placements/${placementId}/reintegration-referrals`, { service: 'VOCATIONAL_TRAINING' });
  expect(training.body.rule).toBe('VOCATIONAL_TRAINING_REQUIRES_AGE_16');
  expect((await socialWorker('POST', `/placements/${placementId}/reintegration`, { summary: '已返校，家庭稳定' })).status).toBe(200);

  // 7. The case is solved, then closed; the school sees what became of its clue
  expect((await leader('POST', `/cases/${caseId}/solve`, { summary: '嫌疑人王某已抓获' })).status).toBe(200);
  expect((await leader('POST', `/cases/${caseId}/close`, { reason: '已破案' })).status).toBe(200);
  const status = await eventually(async () => {
    const s = await school('GET', `/clues/${clueId}/status`);
    return s.body.status === 'ACCEPTED' && s.body;
  }, 'the feedback to the school', timeout);
  expect(status.caseId).toBe(caseId);
  expect(status.summary).toBe(report.summary); // Chinese text round-trips byte-exact

  // 8. The auditor sees every hand-off in order, with its actor and causation
  const journey = await eventually(async () => {
    const j = await auditor('GET', `/audit/journeys/${clueId}`);
    const types = j.body.handoffs?.map((h: { type: string }) => h.type) ?? [];
    return types.includes('AssessmentCompleted') && types.includes('ReintegrationReferred') && j.body;
  }, 'the full journey', timeout);
  const handoffs = journey.handoffs as Array<{ eventId: string; type: string; position: number; from: { agencyId: string }; to: { agencyId: string | null }; reason: string; causationId: string; receivedBy: { type: string } | null }>;
  expect(handoffs.map((h) => h.type)).toEqual([
    'ClueReferred',
    'InformationRequested',
    'AdditionalInformationProvided',
    'MissingChildAlertIssued',
    'VictimHandedOver',
    'AssessmentRequested',
    'AssessmentCompleted',
    'ReintegrationReferred',
  ]);
  const positions = handoffs.map((h) => h.position);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  const byType = Object.fromEntries(handoffs.map((h) => [h.type, h]));
  expect(byType.ClueReferred).toMatchObject({ from: { agencyId: 'yanshan-no1-primary' }, to: { agencyId: 'yanshan-police' }, receivedBy: { type: 'ReferralReceived' } });
  expect(byType.VictimHandedOver).toMatchObject({ from: { agencyId: 'yanshan-police' }, to: { agencyId: 'yanshan-civil-affairs' }, receivedBy: { type: 'PlacementOpened' } });
  expect(byType.AssessmentRequested).toMatchObject({ to: { agencyId: 'yanshan-hospital' }, receivedBy: { type: 'AssessmentOpened' } });
  expect(byType.AssessmentCompleted).toMatchObject({ from: { agencyId: 'yanshan-hospital' }, receivedBy: { type: 'AssessmentResultReceived' } });
  for (const h of handoffs) expect(h.reason.length).toBeGreaterThan(0);

  const events = journey.events as Array<{ eventId: string; type: string; position: number; actor: { agencyId: string; role: string; userId: string }; causationId: string; causedBy: { eventId: string } | null }>;
  const ids = new Set(events.map((e) => e.eventId));
  // every event but the submission was caused by an earlier event of the same journey
  const orphans = events.slice(1).filter((e) => !ids.has(e.causationId));
  expect(orphans.map((e) => e.type)).toEqual([]);
  for (const e of events.slice(1)) {
    expect(events.find((x) => x.eventId === e.causationId)!.position).toBeLessThan(e.position);
  }
  const received = events.find((e) => e.type === 'ReferralReceived')!;
  expect(received.causationId).toBe(byType.ClueReferred.eventId);
  expect(received.actor).toMatchObject({ agencyId: 'yanshan-police', role: 'SYSTEM' });
  const acknowledged = events.find((e) => e.type === 'ReferralAcknowledged')!;
  expect(acknowledged.actor).toMatchObject({ agencyId: 'yanshan-police', userId: 'officer-li', role: 'OFFICER' });
  expect(events.filter((e) => e.type === 'ClueSubmitted')).toHaveLength(1); // the retry appended nothing

  // 9. A full replay rebuilds every read model and finds them equal to the live ones
  const replay = await auditor('POST', '/audit/replays');
  expect(replay.status).toBe(200);
  expect(replay.body.equal).toBe(true);
  expect(replay.body.unreadableEvents.count).toBe(0);
}
