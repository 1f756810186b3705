import { clueStream } from '@atr/contracts';
import { IntakeModule } from '../intake.module';
import { bodies, createTestApp, expectNothingAppended, KEYS, policeDoes, streamOf, submit, yanshanPoliceParty, type TestApp } from '../testing/http';

const REQUEST_ID = '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CASE_ID = '6b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
const school = { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622' } as const;

describe('feedback to the submitter', () => {
  let t: TestApp;
  let clueId: string;
  let referralId: string;
  beforeAll(async () => {
    t = await createTestApp([IntakeModule]);
    const res = await submit(t, 'school-reports', KEYS.school, bodies.school({ student: { name: '小兰', birthDate: '2017-07-07' } }));
    clueId = res.body.clueId;
    await t.settle();
    referralId = (await streamOf(t, clueId))[2].payload.referralId as string;
  });
  afterAll(() => t.close());

  const status = async (key: string = KEYS.school) => (await t.request('GET', `/clues/${clueId}/status`, { key })).body;

  it('records an acknowledgment on the clue, once, whatever the redelivery', async () => {
    t.clock.advanceMinutes(5);
    const ack = await policeDoes(t, clueId, referralId, 'ReferralAcknowledged', { acknowledgeBy: '2026-03-03T03:15:00.000Z', late: false });
    await t.settle();
    const outcome = (await streamOf(t, clueId))[3];
    expect(outcome).toMatchObject({ type: 'ClueOutcomeRecorded', causationId: ack.eventId, correlationId: clueId });
    expect(outcome.payload).toMatchObject({ outcome: 'ACKNOWLEDGED', referralId, by: yanshanPoliceParty });
    expect(outcome.actor).toMatchObject({ agencyId: school.agencyId, role: 'SYSTEM', userId: 'system:intake' });
    // redelivery of the same police event appends nothing
    const { FeedbackConsumer } = await import('./feedback.consumer');
    const [stored] = (await t.store.readStream(`referral-${referralId}`)).slice(-1);
    await t.app.get(FeedbackConsumer).handle(stored);
    expect((await streamOf(t, clueId)).length).toBe(4);
    expect((await status()).status).toBe('ACKNOWLEDGED');
  });

  it('shows an information request as an open question, and takes the answer once', async () => {
    const asked = await policeDoes(t, clueId, referralId, 'InformationRequested', {
      requestId: REQUEST_ID,
      handoff: { from: yanshanPoliceParty, to: school, reason: '需要监护人信息' },
      question: '学生的监护人是谁？联系电话？',
    });
    await t.settle();
    expect(await status()).toMatchObject({ status: 'INFORMATION_REQUESTED', openQuestions: [{ requestId: REQUEST_ID, question: '学生的监护人是谁？联系电话？' }] });

    const answer = await t.request('POST', `/clues/${clueId}/information`, { key: KEYS.school, body: { requestId: REQUEST_ID, answer: '外婆 王某，电话 138xxxx' } });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ clueId, referralId, requestId: REQUEST_ID, answeredAt: t.clock.now().toISOString() });
    const provided = (await t.store.readStream(clueStream(clueId))).at(-1)!;
    expect(provided).toMatchObject({ type: 'AdditionalInformationProvided', actor: { userId: 'clerk-yang' } });
    expect(provided.payload).toMatchObject({ answer: '外婆 王某，电话 138xxxx', handoff: { from: school, to: yanshanPoliceParty } });
    // caused by the recorded question, which was caused by the police request
    const recorded = (await streamOf(t, clueId)).find((e) => e.causationId === asked.eventId)!;
    expect(provided.causationId).toBe(recorded.eventId);
    expect(await status()).toMatchObject({ status: 'ACKNOWLEDGED', openQuestions: [] });

    const again = await expectNothingAppended(t, () => t.request('POST', `/clues/${clueId}/information`, { key: KEYS.school, body: { requestId: REQUEST_ID, answer: '再答一次' } }));
    expect(again.status).toBe(409);
    expect(again.body.rule).toBe('INFORMATION_REQUEST_ALREADY_ANSWERED');
  });

  it('shows acceptance with the case, and the whole timeline to the submitter and auditors', async () => {
    await policeDoes(t, clueId, referralId, 'ReferralAccepted', { caseId: CASE_ID, mode: 'OPENED_CASE' });
    await t.settle();
    const view = await status();
    expect(view).toMatchObject({ status: 'ACCEPTED', caseId: CASE_ID, category: 'CHILD_TRAFFICKING', priority: 'URGENT' });
    expect(view.timeline.map((e: { event: string }) => e.event)).toEqual([
      'ClueSubmitted',
      'ClueTriaged',
      'ClueReferred',
      'ClueOutcomeRecorded',
      'ClueOutcomeRecorded',
      'AdditionalInformationProvided',
      'ClueOutcomeRecorded',
    ]);
    expect(view.timeline.at(-1).summary).toBe(`police accepted the referral (case ${CASE_ID})`);
    expect(await status(KEYS.procuratorateAuditor)).toEqual(view);
  });

  it('shows a rejection with its reason', async () => {
    const res = await submit(t, 'public-tips', KEYS.publicPortal, bodies.publicTip({ summary: '疑似非法用工' }));
    await t.settle();
    const rid = (await streamOf(t, res.body.clueId))[2].payload.referralId as string;
    await policeDoes(t, res.body.clueId, rid, 'ReferralRejected', { reason: '不属于拐卖案件，转人社部门处理', forwardTo: { agencyKind: 'HR_SOCIAL_SECURITY', jurisdiction: '532622' } });
    await t.settle();
    const view = (await t.request('GET', res.body.statusUrl, { key: KEYS.publicPortal })).body;
    expect(view).toMatchObject({ status: 'REJECTED', rejectionReason: '不属于拐卖案件，转人社部门处理' });
  });

  it('shows an escalation of an unacknowledged referral', async () => {
    const res = await submit(t, 'civil-registrations', KEYS.civilAffairs, bodies.civilRegistration());
    await t.settle();
    const rid = (await streamOf(t, res.body.clueId))[2].payload.referralId as string;
    const jco = { agencyId: 'wenshan-joint-conference-office', agencyKind: 'JOINT_CONFERENCE_OFFICE', jurisdiction: '532600' };
    await policeDoes(t, res.body.clueId, rid, 'ReferralEscalated', {
      handoff: { from: yanshanPoliceParty, to: jco, reason: '超时未签收' },
      priority: 'NORMAL',
      acknowledgeBy: res.body.acknowledgeBy,
      overdueMinutes: 10,
    });
    await t.settle();
    expect((await t.request('GET', res.body.statusUrl, { key: KEYS.civilAffairs })).body.status).toBe('ESCALATED');
  });

  it('ignores feedback for a referral intake never made', async () => {
    const head = await t.store.headPosition();
    await policeDoes(t, clueId, '7c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f', 'ReferralAcknowledged', { acknowledgeBy: '2026-03-03T03:15:00.000Z', late: true });
    await t.settle();
    expect(await t.store.headPosition()).toBe(head + 1); // only the police event itself
    expect(t.bus.deadLetters()).toEqual([]);
  });
});
