import { createTestApp, type TestApp } from '../../../packages/platform/src/testing/test-app';
import { AuditModule } from './audit.module';
import { agenciesWithOutsideAuditors, OTHER_COUNTY_AUDITOR, OTHER_PROVINCE_AUDITOR } from './testing/agencies';
import { jcoParty, officer, policeParty, policeSystem, schoolParty, Seeder } from './testing/journey-fixture';

const AUDITOR = 'demo-jco-auditor';
const MINUTE = 60_000;

describe('audit over HTTP', () => {
  let t: TestApp;
  let seed: Seeder;
  let main: Awaited<ReturnType<Seeder['referredClue']>>;
  let acknowledged: Awaited<ReturnType<Seeder['acknowledge']>>;
  let infoRequested: Awaited<ReturnType<Seeder['append']>>;
  let ignored: Awaited<ReturnType<Seeder['referredClue']>>;
  let escalated: Awaited<ReturnType<Seeder['append']>>;

  beforeAll(async () => {
    t = await createTestApp([AuditModule], { AGENCIES_FILE: agenciesWithOutsideAuditors() });
    seed = new Seeder(t.store, t.clock);
    // journey 1 (starts 03:00:00): referred at 03:00:02, acknowledged 10 minutes later, then police ask the school
    main = await seed.referredClue();
    t.clock.advanceMinutes(10);
    acknowledged = await seed.acknowledge(main, main.received.eventId);
    t.clock.advanceMinutes(5);
    infoRequested = await seed.append(
      main.referral,
      'InformationRequested',
      { referralId: main.referralId, clueId: main.clueId, requestId: '3f0c2b1a-1d2e-4f50-8a6b-7c8d9e0f1a2b', handoff: { from: policeParty, to: schoolParty, reason: '请补充学生家庭住址' }, question: '学生家庭住址？' },
      { actor: officer, correlationId: main.clueId, causationId: acknowledged.eventId },
    );
    // journey 2: referred, never acknowledged, escalated 20 minutes later
    t.clock.advanceMinutes(1);
    ignored = await seed.referredClue();
    t.clock.advanceMinutes(20);
    escalated = await seed.append(
      ignored.referral,
      'ReferralEscalated',
      { referralId: ignored.referralId, clueId: ignored.clueId, handoff: { from: policeParty, to: jcoParty, reason: '超时未签收' }, priority: 'URGENT', acknowledgeBy: ignored.acknowledgeBy, overdueMinutes: 5 },
      { actor: policeSystem, correlationId: ignored.clueId, causationId: ignored.received.eventId },
    );
    t.clock.set('2026-03-03T04:00:00.000Z');
  });

  afterAll(() => t.close());

  describe('GET /audit/journeys/:clueId', () => {
    it('lists every event of the journey in global order with actor, cause and upcast versions', async () => {
      const res = await t.request('GET', `/audit/journeys/${main.clueId}`, { key: AUDITOR });
      expect(res.status).toBe(200);
      const events = res.body.events;
      expect(events.map((e: { type: string }) => e.type)).toEqual([
        'ClueSubmitted',
        'ClueTriaged',
        'ClueReferred',
        'ReferralReceived',
        'ReferralAcknowledged',
        'InformationRequested',
      ]);
      const positions = events.map((e: { position: number }) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      // stored as v1, read as the current v2
      expect(events[0]).toMatchObject({ schemaVersion: 2, causedBy: null, causationId: `req-${main.clueId}`, streamId: main.clue, revision: 0 });
      expect(events[0].readError).toBeUndefined();
      expect(events[3]).toMatchObject({
        actor: { agencyId: 'yanshan-police', role: 'SYSTEM', userId: 'system:police' },
        causedBy: { eventId: main.referred.eventId, type: 'ClueReferred' },
        streamId: main.referral,
      });
      expect(events[4].actor).toEqual(officer);
      expect(events[2].summary).toContain('yanshan-no1-primary → yanshan-police: 移送: 儿童失踪线索');
      expect(res.body.evaluatedAt).toBe('2026-03-03T04:00:00.000Z');
    });

    it('reports each hand-off: received, acted on, how long it waited, overdue or not', async () => {
      const res = await t.request('GET', `/audit/journeys/${main.clueId}`, { key: AUDITOR });
      const [referral, question] = res.body.handoffs;
      expect(res.body.handoffs).toHaveLength(2);
      expect(referral).toMatchObject({
        eventId: main.referred.eventId,
        type: 'ClueReferred',
        at: '2026-03-03T03:00:02.000Z',
        from: schoolParty,
        to: policeParty,
        reason: '移送: 儿童失踪线索',
        causedBy: { eventId: main.triaged.eventId, type: 'ClueTriaged' },
        receivedBy: { eventId: main.received.eventId, type: 'ReferralReceived', at: '2026-03-03T03:00:03.000Z' },
        actedOnBy: { eventId: acknowledged.eventId, type: 'ReferralAcknowledged', at: '2026-03-03T03:10:03.000Z', actor: officer },
        waitedMs: 10 * MINUTE + 1000,
        waiting: false,
        deadline: '2026-03-03T03:15:02.000Z',
        overdue: false,
      });
      // nobody at the school answered yet: still waiting, measured until now (04:00)
      expect(question).toMatchObject({ type: 'InformationRequested', to: schoolParty, receivedBy: null, actedOnBy: null, waiting: true, overdue: false, deadline: null });
      expect(question.waitedMs).toBe(Date.parse('2026-03-03T04:00:00.000Z') - Date.parse(infoRequested.occurredAt));
    });

    it('marks an unacknowledged referral overdue once its deadline passed, and not before', async () => {
      const now = await t.request('GET', `/audit/journeys/${ignored.clueId}`, { key: AUDITOR });
      const [referral, escalation] = now.body.handoffs;
      expect(referral).toMatchObject({ type: 'ClueReferred', receivedBy: { eventId: ignored.received.eventId }, actedOnBy: null, waiting: true, overdue: true });
      expect(referral.waitedMs).toBe(Date.parse('2026-03-03T04:00:00.000Z') - Date.parse(ignored.referred.occurredAt));
      expect(escalation).toMatchObject({ type: 'ReferralEscalated', eventId: escalated.eventId, to: jcoParty, waiting: true });

      const before = Date.parse(ignored.acknowledgeBy) - MINUTE;
      const early = await t.request('GET', `/audit/journeys/${ignored.clueId}?asOf=${new Date(before).toISOString()}`, { key: AUDITOR });
      expect(early.status).toBe(200);
      expect(early.body.handoffs).toHaveLength(1);
      expect(early.body.handoffs[0]).toMatchObject({ waiting: true, overdue: false, waitedMs: before - Date.parse(ignored.referred.occurredAt) });
    });

    it('shows the journey as it was at a global position', async () => {
      const res = await t.request('GET', `/audit/journeys/${main.clueId}?position=${main.received.globalPosition}`, { key: AUDITOR });
      expect(res.status).toBe(200);
      expect(res.body.position).toBe(main.received.globalPosition);
      expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['ClueSubmitted', 'ClueTriaged', 'ClueReferred', 'ReferralReceived']);
      expect(res.body.evaluatedAt).toBe(main.received.recordedAt);
      expect(res.body.handoffs[0]).toMatchObject({ waiting: true, actedOnBy: null, waitedMs: 1000 });
    });

    it('lets a supervisor of the office and a procuratorate auditor read it too', async () => {
      for (const key of ['demo-jco-supervisor', 'demo-procuratorate-auditor']) {
        expect((await t.request('GET', `/audit/journeys/${main.clueId}`, { key })).status).toBe(200);
      }
    });

    it('answers 404 to auditors whose jurisdiction does not cover the journey, and for unknown journeys', async () => {
      for (const key of [OTHER_PROVINCE_AUDITOR, OTHER_COUNTY_AUDITOR]) {
        const res = await t.request('GET', `/audit/journeys/${main.clueId}`, { key });
        expect(res.status).toBe(404);
        expect(res.body.error).toBe('NOT_FOUND');
      }
      expect((await t.request('GET', '/audit/journeys/0c9c7a55-0000-4000-8000-000000000000', { key: AUDITOR })).status).toBe(404);
      expect((await t.request('GET', `/audit/journeys/${main.clueId}?asOf=2026-03-02T00:00:00Z`, { key: AUDITOR })).status).toBe(404);
    });

    it('refuses non-auditors with 403 and callers without a key with 401', async () => {
      const police = await t.request('GET', `/audit/journeys/${main.clueId}`, { key: 'demo-yanshan-police-officer' });
      expect(police.status).toBe(403);
      expect(police.body.error).toBe('FORBIDDEN');
      expect((await t.request('GET', `/audit/journeys/${main.clueId}`)).status).toBe(401);
    });

    it.each([
      ['both asOf and position', '?asOf=2026-03-03T03:00:00Z&position=3', 'position'],
      ['a malformed asOf', '?asOf=yesterday', 'asOf'],
      ['a negative position', '?position=-1', 'position'],
      ['an unknown parameter', '?at=5', ''],
    ])('answers 400 for %s, naming the parameter', async (_name, query, path) => {
      const res = await t.request('GET', `/audit/journeys/${main.clueId}${query}`, { key: AUDITOR });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.issues[0].path).toBe(path);
    });
  });

  describe('GET /audit/streams/:streamId', () => {
    it('folds the stream as of a time into a record of facts, upcasting old versions', async () => {
      const asOf = main.triaged.recordedAt;
      const res = await t.request('GET', `/audit/streams/${main.clue}?asOf=${asOf}`, { key: AUDITOR });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ streamId: main.clue, asOf, revision: 1 });
      expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['ClueSubmitted', 'ClueTriaged']);
      expect(res.body.events[0].schemaVersion).toBe(2);
      expect(res.body.state).toMatchObject({
        clueId: main.clueId,
        location: { divisionCode: '532622', address: '砚山县江那镇' },
        priority: 'URGENT',
        lastEvent: 'ClueTriaged',
        lastEventAt: main.triaged.occurredAt,
        history: ['ClueSubmitted', 'ClueTriaged'],
      });
      expect(res.body.state.summary).toBe('学生连续两周未到校，家长称已送往外地');
      expect(res.body.state).not.toHaveProperty('divisionCode');
    });

    it('folds it as of a global position, leaving hand-offs out of the state', async () => {
      const res = await t.request('GET', `/audit/streams/${main.referral}?position=${acknowledged.globalPosition}`, { key: AUDITOR });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ position: acknowledged.globalPosition, revision: 1 });
      expect(res.body.state).toMatchObject({ lastEvent: 'ReferralAcknowledged', late: false, history: ['ReferralReceived', 'ReferralAcknowledged'] });
      expect(res.body.state).not.toHaveProperty('handoff');
      expect(res.body.events[0].payload.handoff).toEqual({ from: schoolParty, to: policeParty, reason: '移送: 儿童失踪线索' });
    });

    it('answers 404 before the stream existed, outside the jurisdiction, and for unknown streams', async () => {
      const before = await t.request('GET', `/audit/streams/${main.referral}?position=${main.referred.globalPosition}`, { key: AUDITOR });
      expect(before.status).toBe(404);
      expect((await t.request('GET', `/audit/streams/${main.clue}`, { key: OTHER_PROVINCE_AUDITOR })).status).toBe(404);
      expect((await t.request('GET', '/audit/streams/clue-nothing-here', { key: AUDITOR })).status).toBe(404);
    });

    it('answers 400 for both parameters, a bad time or a bad stream id', async () => {
      expect((await t.request('GET', `/audit/streams/${main.clue}?asOf=2026-03-03T03:00:00Z&position=1`, { key: AUDITOR })).status).toBe(400);
      expect((await t.request('GET', `/audit/streams/${main.clue}?asOf=2026-13-45`, { key: AUDITOR })).status).toBe(400);
      const bad = await t.request('GET', '/audit/streams/NoCategory', { key: AUDITOR });
      expect(bad.status).toBe(400);
      expect(bad.body.issues[0].path).toBe('streamId');
    });
  });

  describe('GET /audit/events', () => {
    it('pages through the global log with nextAfter', async () => {
      const first = await t.request('GET', '/audit/events?limit=3', { key: AUDITOR });
      expect(first.status).toBe(200);
      expect(first.body.items.map((e: { globalPosition: number }) => e.globalPosition)).toEqual([1, 2, 3]);
      expect(first.body.items[0]).toMatchObject({ type: 'ClueSubmitted', schemaVersion: 2 });
      expect(first.body.nextAfter).toBe(3);
      const head = first.body.headPosition;
      expect(head).toBe(escalated.globalPosition);
      const rest = await t.request('GET', `/audit/events?after=3&limit=1000`, { key: AUDITOR });
      expect(rest.body.items).toHaveLength(head - 3);
      expect(rest.body.nextAfter).toBe(head);
    });

    it('exports only journeys the auditor oversees', async () => {
      const res = await t.request('GET', '/audit/events', { key: OTHER_PROVINCE_AUDITOR });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
      expect(res.body.scanned).toBe(res.body.headPosition);
      expect(res.body.nextAfter).toBe(res.body.headPosition);
    });

    it.each(['limit=5000', 'limit=0', 'after=x', 'after=-2'])('answers 400 for %s', async (query) => {
      const res = await t.request('GET', `/audit/events?${query}`, { key: AUDITOR });
      expect(res.status).toBe(400);
      expect(res.body.issues[0].path).toBe(query.split('=')[0]);
    });
  });
});
