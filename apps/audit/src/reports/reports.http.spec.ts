import { AssessmentModule } from '@atr/assessment';
import { IntakeModule } from '@atr/intake';
import { PlacementModule } from '@atr/placement';
import { PoliceModule } from '@atr/police';
import { readFileSync, writeFileSync } from 'node:fs';
import { hashApiKey, READ_MODELS, type ReadModels } from '@atr/platform';
import { createTestApp, type TestApp } from '../../../../packages/platform/src/testing/test-app';
import { AuditModule } from '../audit.module';
import { agenciesWithOutsideAuditors, OTHER_COUNTY_AUDITOR, OTHER_PROVINCE_AUDITOR } from '../testing/agencies';
import { readCsv, readCsvRecords } from '../testing/csv-reader';

/**
 * Real journeys through every service in one process (they still talk only through events), on
 * a manual clock, then the reports read over HTTP. Times are UTC; periods are China Standard Time.
 *
 * 砚山县 532622 (H1): clue A (school, URGENT child) acknowledged after 10 min, accepted after 30,
 *   victim rescued, sheltered 1 h later, reintegrated 10 days after that, case solved, sent for
 *   prosecution, closed; clue B (hospital, HIGH child) acknowledged 60 min late, accepted, never
 *   solved; clue E (school) submitted at 23:59:59 on 30 June Beijing time.
 * 文山市 532601 (H1): clue C (cyberspace office, NORMAL woman trafficking) never acknowledged,
 *   escalated to the joint-conference office; clue D (public tip, URGENT child) acknowledged after
 *   5 min, accepted after 20, solved.
 * 砚山县 (H2): clue F submitted at midnight on 1 July Beijing time.
 */
const AUDITOR = 'demo-jco-auditor'; // 文山州 532600
const PROVINCE_AUDITOR = 'test-yunnan-jco-auditor'; // 云南省 530000

/** The demo agencies, the test auditors outside 文山州, and a provincial office above it. */
function agencies(): string {
  const file = agenciesWithOutsideAuditors();
  const directory = JSON.parse(readFileSync(file, 'utf8')) as { agencies: unknown[] };
  directory.agencies.push({
    id: 'yunnan-jco',
    name: '云南省反拐联席会议办公室',
    kind: 'JOINT_CONFERENCE_OFFICE',
    jurisdiction: '530000',
    users: [{ userId: 'auditor-yunnan', role: 'AUDITOR', apiKeySha256: hashApiKey(PROVINCE_AUDITOR) }],
  });
  writeFileSync(file, JSON.stringify(directory));
  return file;
}
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const KEY = {
  school: 'demo-school-reporter',
  hospital: 'demo-hospital-reporter',
  cyberspace: 'demo-cyberspace-reporter',
  publicPortal: 'demo-public-portal',
  yanshanOfficer: 'demo-yanshan-police-officer',
  yanshanLeader: 'demo-yanshan-police-leader',
  wenshanshiOfficer: 'demo-wenshanshi-police-officer',
  wenshanshiLeader: 'demo-wenshanshi-police-leader',
  socialWorker: 'demo-civil-affairs-social-worker',
  hospitalAssessor: 'demo-hospital-assessor',
  jcoSupervisor: 'demo-jco-supervisor',
};

const schoolReport = (divisionCode: string, name: string) => ({
  location: { divisionCode },
  summary: `学生${name}连续两周未到校`,
  childMissing: true,
  schoolName: '砚山县第一小学',
  reason: 'UNEXPLAINED_DROPOUT',
  student: { name },
});

describe('oversight reports (GET /audit/reports/…) over real journeys', () => {
  let t: TestApp;
  const ids: Record<string, { clueId: string; referralId: string; caseId?: string }> = {};

  const post = async (key: string, url: string, body: unknown = {}) => {
    const res = await t.request('POST', url, { key, body });
    if (res.status >= 300) throw new Error(`POST ${url} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const report = (path: string, key = AUDITOR, headers: Record<string, string> = {}) => t.request('GET', `/audit/reports/${path}`, { key, headers });
  const at = (iso: string) => t.clock.set(iso);
  const later = (ms: number) => t.clock.advance(ms);

  /** Submits a clue and waits for intake to refer it; returns the clue and referral ids. */
  async function submit(name: string, key: string, path: string, body: object) {
    const { clueId } = await post(key, `/clues/${path}`, { sourceReference: `reports-spec-${name}`, ...body });
    await t.settle();
    const status = await t.request('GET', `/clues/${clueId}/status`, { key });
    if (!status.body.referralId) throw new Error(`clue ${name} was not referred: ${JSON.stringify(status.body)}`);
    ids[name] = { clueId, referralId: status.body.referralId };
    return ids[name];
  }
  const acknowledge = (name: string, key: string) => post(key, `/referrals/${ids[name].referralId}/acknowledge`);
  async function accept(name: string, key: string) {
    const { caseId } = await post(key, `/referrals/${ids[name].referralId}/accept`, { title: `案件 ${name}` });
    ids[name].caseId = caseId;
    await t.settle();
  }

  beforeAll(async () => {
    t = await createTestApp([IntakeModule, PoliceModule, PlacementModule, AssessmentModule, AuditModule], { AGENCIES_FILE: agencies() });

    // A — 砚山县, the whole way from a school's report to reintegration
    at('2026-03-03T03:00:00.000Z');
    await submit('A', KEY.school, 'school-reports', schoolReport('532622', '小芳'));
    later(10 * MINUTE);
    await acknowledge('A', KEY.yanshanOfficer);
    later(20 * MINUTE);
    await accept('A', KEY.yanshanLeader);
    const caseA = `/cases/${ids.A.caseId}`;
    const { placementId } = await post(KEY.yanshanLeader, `${caseA}/rescues`, {
      victim: { name: '小芳', sex: 'F', isChild: true, ageYears: 12 },
      rescuedAt: t.clock.now().toISOString(),
      place: '外省某村',
    });
    await t.settle();
    later(HOUR);
    const file = `/placements/${placementId}`;
    await post(KEY.socialWorker, `${file}/shelter`, { shelterName: '砚山县救助管理站' });
    const { assessmentId } = await post(KEY.socialWorker, `${file}/assessments`, { kind: 'MEDICAL', question: '身体状况评估' });
    await t.settle();
    await post(KEY.hospitalAssessor, `/assessments/${assessmentId}/schedule`, { scheduledFor: new Date(t.clock.now().getTime() + HOUR).toISOString(), assessor: '林医生' });
    await post(KEY.hospitalAssessor, `/assessments/${assessmentId}/complete`, { outcome: '身体健康', recommendations: ['心理疏导'] });
    await post(KEY.socialWorker, `${file}/reintegration-referrals`, { service: 'SCHOOL_ENROLMENT' });
    await post(KEY.socialWorker, `${file}/follow-up-visits`, { visitedAt: t.clock.now().toISOString(), notes: '情绪稳定', wellbeing: 'GOOD' });
    later(10 * DAY);
    await post(KEY.socialWorker, `${file}/reintegration`, { summary: '已返校' });
    await post(KEY.yanshanLeader, `${caseA}/solve`, { summary: '嫌疑人已抓获' });
    await post(KEY.yanshanLeader, `${caseA}/prosecution`, {});
    await post(KEY.yanshanLeader, `${caseA}/close`, { reason: '已破案' });
    await t.settle();

    // B — 砚山县, a hospital's HIGH clue (deadline 4 h) acknowledged after 5 h; the child case stays unsolved
    at('2026-03-14T00:00:00.000Z');
    await submit('B', KEY.hospital, 'hospital-reports', {
      location: { divisionCode: '532622' },
      summary: '产妇身份不符，新生儿去向不明',
      child: { name: '新生儿', sex: 'F' },
      hospitalName: '砚山县人民医院',
      anomaly: 'SUSPECTED_VICTIM',
      identityCheckResult: 'MISMATCH',
    });
    later(5 * HOUR);
    await acknowledge('B', KEY.yanshanOfficer);
    later(10 * MINUTE);
    await accept('B', KEY.yanshanLeader);

    // C — 文山市, an online ad (NORMAL: 3 days) nobody acknowledges
    at('2026-04-01T00:00:00.000Z');
    await submit('C', KEY.cyberspace, 'online-content', {
      location: { divisionCode: '532601' },
      summary: '网络平台发布“介绍外地媳妇”广告',
      platform: '某社交平台',
      account: 'matchmaker-888',
      url: 'https://example.com/post/888',
      contentHash: 'sha256:' + 'a'.repeat(64),
      contentKind: 'TRAFFICKING_AD',
    });

    // D — 文山市, a citizen's tip of a missing child, solved the next day
    at('2026-04-01T01:00:00.000Z');
    await submit('D', KEY.publicPortal, 'public-tips', {
      location: { divisionCode: '532601' },
      summary: '邻居家孩子被陌生人带走',
      childMissing: true,
      child: { name: '小军', sex: 'M' },
      channel: 'HOTLINE',
    });
    later(5 * MINUTE);
    await acknowledge('D', KEY.wenshanshiOfficer);
    later(15 * MINUTE);
    await accept('D', KEY.wenshanshiLeader);
    later(DAY);
    await post(KEY.wenshanshiLeader, `/cases/${ids.D.caseId}/solve`, { summary: '孩子已找回' });

    // C's deadline (04-04) has passed: the joint-conference office's deadline check escalates it
    at('2026-04-05T00:00:00.000Z');
    expect(await post(KEY.jcoSupervisor, '/supervision/deadline-checks')).toEqual({ escalated: 1 });
    await t.settle();

    // E and F — either side of midnight, 1 July in Beijing (16:00 UTC)
    at('2026-06-30T15:59:59.000Z');
    await submit('E', KEY.school, 'school-reports', schoolReport('532622', '小红'));
    later(1000);
    await submit('F', KEY.school, 'school-reports', schoolReport('532622', '小兰'));
    later(59_000);
    await acknowledge('E', KEY.yanshanOfficer);
    await acknowledge('F', KEY.yanshanOfficer);
    await t.settle();

    at('2026-07-10T00:00:00.000Z');
  }, 60_000);

  afterAll(() => t.close());

  describe('GET /audit/reports/situation', () => {
    it('counts 砚山县’s half-year: clues, referral times, overdue hand-offs, cases, 发一破一 and victims', async () => {
      const res = await report('situation?jurisdiction=532622&period=2026-H1');
      expect(res.status).toBe(200);
      const r = res.body;
      expect(r.scope).toEqual({
        jurisdiction: '532622',
        level: 'COUNTY',
        period: '2026-H1',
        from: '2026-01-01T00:00:00+08:00',
        to: '2026-07-01T00:00:00+08:00',
        generatedAt: '2026-07-10T00:00:00.000Z',
        position: expect.any(Number),
      });
      expect(r.clues).toMatchObject({
        total: 3,
        duplicates: 0,
        bySource: [
          { source: 'EDUCATION', clues: 2 },
          { source: 'HEALTH', clues: 1 },
        ],
        byPriority: [
          { priority: 'URGENT', clues: 2 },
          { priority: 'HIGH', clues: 1 },
          { priority: 'NORMAL', clues: 0 },
        ],
      });
      expect(r.clues.byCategory).toHaveLength(9);
      expect(r.clues.byCategory.filter((c: { clues: number }) => c.clues > 0)).toEqual([{ category: 'CHILD_TRAFFICKING', clues: 3 }]);
      expect(r.referrals).toEqual({
        referred: 3,
        acknowledged: 3,
        awaitingAcknowledgment: 0,
        accepted: 2,
        rejected: 0,
        escalated: 0,
        // A 10 min, B 300 min, E 1 min
        timeToAcknowledge: { count: 3, p50Ms: 10 * MINUTE, p90Ms: 300 * MINUTE, maxMs: 300 * MINUTE },
        // A 30 min, B 310 min
        timeToAccept: { count: 2, p50Ms: 30 * MINUTE, p90Ms: 310 * MINUTE, maxMs: 310 * MINUTE },
      });
      expect(r.overdueHandoffs).toEqual({ total: 1, escalated: 0, acknowledgedLate: 1, unacknowledged: 0 });
      expect(r.cases).toEqual({
        opened: 2,
        solved: 1,
        closed: 1,
        sentForProsecution: 1,
        childCases: { opened: 2, solved: 1, solvedWithinPeriod: 1, unsolved: 1, solveRate: 0.5 },
      });
      expect(r.victims).toEqual({
        rescued: 1,
        children: 1,
        handedOver: 1,
        placed: 1,
        reunified: 0,
        reintegrated: 1,
        rescuedToPlaced: { count: 1, p50Ms: HOUR, p90Ms: HOUR, maxMs: HOUR },
        placedToReintegrated: { count: 1, p50Ms: 10 * DAY, p90Ms: 10 * DAY, maxMs: 10 * DAY },
        rescuedToReintegrated: { count: 1, p50Ms: 10 * DAY + HOUR, p90Ms: 10 * DAY + HOUR, maxMs: 10 * DAY + HOUR },
      });
    });

    it('counts 文山市’s half-year: an escalated referral and a child case solved (发一破一 = 1)', async () => {
      const r = (await report('situation?jurisdiction=532601&period=2026-H1')).body;
      expect(r.clues).toMatchObject({
        total: 2,
        bySource: [
          { source: 'CYBERSPACE', clues: 1 },
          { source: 'PUBLIC', clues: 1 },
        ],
      });
      expect(r.clues.byCategory.filter((c: { clues: number }) => c.clues > 0)).toEqual([
        { category: 'CHILD_TRAFFICKING', clues: 1 },
        { category: 'WOMAN_TRAFFICKING', clues: 1 },
      ]);
      expect(r.referrals).toEqual({
        referred: 2,
        acknowledged: 1,
        awaitingAcknowledgment: 1,
        accepted: 1,
        rejected: 0,
        escalated: 1,
        timeToAcknowledge: { count: 1, p50Ms: 5 * MINUTE, p90Ms: 5 * MINUTE, maxMs: 5 * MINUTE },
        timeToAccept: { count: 1, p50Ms: 20 * MINUTE, p90Ms: 20 * MINUTE, maxMs: 20 * MINUTE },
      });
      expect(r.overdueHandoffs).toEqual({ total: 1, escalated: 1, acknowledgedLate: 0, unacknowledged: 1 });
      expect(r.cases).toEqual({ opened: 1, solved: 1, closed: 0, sentForProsecution: 0, childCases: { opened: 1, solved: 1, solvedWithinPeriod: 1, unsolved: 0, solveRate: 1 } });
      expect(r.victims).toMatchObject({ rescued: 0, rescuedToPlaced: { count: 0, p50Ms: null, p90Ms: null, maxMs: null } });
    });

    it('adds both counties up for their prefecture 文山州, with percentiles over all of them', async () => {
      const [city, a, b] = await Promise.all(['532600', '532622', '532601'].map(async (j) => (await report(`situation?jurisdiction=${j}&period=2026-H1`)).body));
      expect(city.scope).toMatchObject({ jurisdiction: '532600', level: 'CITY' });
      expect(city.clues.total).toBe(a.clues.total + b.clues.total);
      expect(city.clues.bySource).toEqual([
        { source: 'EDUCATION', clues: 2 },
        { source: 'CYBERSPACE', clues: 1 },
        { source: 'HEALTH', clues: 1 },
        { source: 'PUBLIC', clues: 1 },
      ]);
      for (const key of ['referred', 'acknowledged', 'awaitingAcknowledgment', 'accepted', 'rejected', 'escalated']) {
        expect({ key, city: city.referrals[key] }).toEqual({ key, city: a.referrals[key] + b.referrals[key] });
      }
      // 1, 5, 10, 300 min: p50 is the 2nd, p90 the 4th; 20, 30, 310 min: p50 the 2nd, p90 the 3rd
      expect(city.referrals.timeToAcknowledge).toEqual({ count: 4, p50Ms: 5 * MINUTE, p90Ms: 300 * MINUTE, maxMs: 300 * MINUTE });
      expect(city.referrals.timeToAccept).toEqual({ count: 3, p50Ms: 30 * MINUTE, p90Ms: 310 * MINUTE, maxMs: 310 * MINUTE });
      expect(city.overdueHandoffs).toEqual({ total: 2, escalated: 1, acknowledgedLate: 1, unacknowledged: 1 });
      expect(city.cases).toEqual({ opened: 3, solved: 2, closed: 1, sentForProsecution: 1, childCases: { opened: 3, solved: 2, solvedWithinPeriod: 2, unsolved: 1, solveRate: 0.6667 } });
      expect(city.victims.rescued).toBe(1);
      // the province (asked by its own office) sees the same, the year adds the second half
      const province = (await report('situation?jurisdiction=530000&period=2026-H1', PROVINCE_AUDITOR)).body;
      expect(province.scope).toMatchObject({ jurisdiction: '530000', level: 'PROVINCE' });
      expect({ ...province, scope: undefined }).toEqual({ ...city, scope: undefined });
      expect((await report('situation?jurisdiction=532622&period=2026-H1', PROVINCE_AUDITOR)).body.clues.total).toBe(3);
      expect((await report('situation?jurisdiction=532600&period=2026')).body.clues.total).toBe(6);
    });

    it('puts a clue at 23:59:59 on 30 June (Beijing) in H1 and one at midnight in H2', async () => {
      const h2 = (await report('situation?jurisdiction=532622&period=2026-H2')).body;
      expect(h2.scope).toMatchObject({ from: '2026-07-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
      expect(h2.clues).toMatchObject({ total: 1, bySource: [{ source: 'EDUCATION', clues: 1 }] });
      expect(h2.referrals).toMatchObject({ referred: 1, acknowledged: 1, timeToAcknowledge: { count: 1, p50Ms: 59_000 } });
      expect(h2.cases.childCases).toEqual({ opened: 0, solved: 0, solvedWithinPeriod: 0, unsolved: 0, solveRate: null });
      // E (15:59:59 UTC) is the one-minute acknowledgment counted in H1 above
      const year = (await report('situation?jurisdiction=532622&period=2026')).body;
      expect(year.clues.total).toBe(4);
      expect(year.referrals.timeToAcknowledge.count).toBe(4);
      expect((await report('situation?jurisdiction=532622&period=2025')).body.clues.total).toBe(0);
    });

    it('answers CSV for format=csv or Accept: text/csv, one row per number, parsed back equal to the JSON', async () => {
      const json = (await report('situation?jurisdiction=532600&period=2026-H1')).body;
      const byParam = await report('situation?jurisdiction=532600&period=2026-H1&format=csv');
      const byAccept = await report('situation?jurisdiction=532600&period=2026-H1', AUDITOR, { accept: 'text/csv' });
      expect(byParam.status).toBe(200);
      expect(byParam.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(byParam.headers['content-disposition']).toBe('attachment; filename="situation-532600-2026-H1.csv"');
      expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(byAccept.body).toBe(byParam.body);
      const records = readCsvRecords(byParam.body);
      expect(Object.keys(records[0])).toEqual(['jurisdiction', 'period', 'section', 'metric', 'key', 'value']);
      const value = (section: string, metric: string, key = '') => records.find((r) => r.section === section && r.metric === metric && r.key === key)?.value;
      expect(records.every((r) => r.jurisdiction === '532600' && r.period === '2026-H1')).toBe(true);
      expect(value('clues', 'total')).toBe(String(json.clues.total));
      expect(value('clues', 'bySource', 'CYBERSPACE')).toBe('1');
      expect(value('clues', 'byCategory', 'CHILD_TRAFFICKING')).toBe('4');
      expect(value('referrals', 'timeToAcknowledge.p90Ms')).toBe(String(300 * MINUTE));
      expect(value('cases', 'childCases.solveRate')).toBe('0.6667');
      expect(value('victims', 'placedToReintegrated.maxMs')).toBe(String(10 * DAY));
      expect(value('victims', 'rescuedToPlaced.count')).toBe('1');
      // format=json wins over the Accept header
      const explicit = await report('situation?jurisdiction=532600&period=2026-H1&format=json', AUDITOR, { accept: 'text/csv' });
      expect(explicit.headers['content-type']).toMatch(/^application\/json/);
      expect(explicit.body).toEqual({ ...json, scope: { ...json.scope, generatedAt: explicit.body.scope.generatedAt } });
    });
  });

  describe('GET /audit/reports/overdue-handoffs', () => {
    it('lists the late acknowledgment and the escalation of 文山州’s half-year, by deadline', async () => {
      const res = await report('overdue-handoffs?jurisdiction=532600&period=2026-H1');
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          referralId: ids.B.referralId,
          clueId: ids.B.clueId,
          jurisdiction: '532622',
          policeAgencyId: 'yanshan-police',
          category: 'CHILD_TRAFFICKING',
          priority: 'HIGH',
          referredAt: '2026-03-14T00:00:00.000Z',
          acknowledgeBy: '2026-03-14T04:00:00.000Z',
          acknowledgedAt: '2026-03-14T05:00:00.000Z',
          escalatedAt: null,
          escalatedTo: null,
          escalated: false,
          acknowledgedLate: true,
          unacknowledged: false,
          overdueMs: HOUR,
        },
        {
          referralId: ids.C.referralId,
          clueId: ids.C.clueId,
          jurisdiction: '532601',
          policeAgencyId: 'wenshanshi-police',
          category: 'WOMAN_TRAFFICKING',
          priority: 'NORMAL',
          referredAt: '2026-04-01T00:00:00.000Z',
          acknowledgeBy: '2026-04-04T00:00:00.000Z',
          acknowledgedAt: null,
          escalatedAt: '2026-04-05T00:00:00.000Z',
          escalatedTo: 'wenshan-joint-conference-office',
          escalated: true,
          acknowledgedLate: false,
          unacknowledged: true,
          overdueMs: Date.parse('2026-07-10T00:00:00Z') - Date.parse('2026-04-04T00:00:00Z'),
        },
      ]);
      // the county's list holds only its own
      const county = await report('overdue-handoffs?jurisdiction=532601&period=2026-H1');
      expect(county.body.items.map((i: { referralId: string }) => i.referralId)).toEqual([ids.C.referralId]);
      expect((await report('overdue-handoffs?jurisdiction=532622&period=2026-H2')).body.items).toEqual([]);
    });

    it('exports the list as CSV, one row per referral', async () => {
      const json = (await report('overdue-handoffs?jurisdiction=532600&period=2026-H1')).body;
      const res = await report('overdue-handoffs?jurisdiction=532600&period=2026-H1&format=csv');
      expect(res.headers['content-disposition']).toBe('attachment; filename="overdue-handoffs-532600-2026-H1.csv"');
      const records = readCsvRecords(res.body);
      expect(records).toEqual(
        json.items.map((item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v === null ? '' : String(v)]))),
      );
      const empty = await report('overdue-handoffs?jurisdiction=532622&period=2026-H2&format=csv');
      expect(readCsv(empty.body)).toEqual([Object.keys(json.items[0])]);
    });
  });

  describe('GET /audit/reports/self-evaluations', () => {
    it('reports what each member agency of 砚山县 did in 2026, zeros included', async () => {
      const res = await report('self-evaluations?jurisdiction=532622&year=2026');
      expect(res.status).toBe(200);
      expect(res.body.scope).toMatchObject({ jurisdiction: '532622', level: 'COUNTY', period: '2026', from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
      const agencies = Object.fromEntries(res.body.agencies.map((a: { agencyId: string }) => [a.agencyId, a]));
      expect(Object.keys(agencies).sort()).toEqual(
        [
          'yanshan-civil-affairs',
          'yanshan-disabled-federation',
          'yanshan-education',
          'yanshan-hospital',
          'yanshan-hrss',
          'yanshan-justice',
          'yanshan-no1-primary',
          'yanshan-police',
          'yanshan-public-portal',
        ].sort(),
      );
      const nonZero = (id: string) => Object.fromEntries(Object.entries(agencies[id]).filter(([, v]) => typeof v !== 'number' || v !== 0));
      expect(nonZero('yanshan-police')).toEqual({
        agencyId: 'yanshan-police',
        name: '砚山县公安局刑侦大队',
        kind: 'PUBLIC_SECURITY',
        jurisdiction: '532622',
        referralsReceived: 4,
        referralsAcknowledged: 4,
        referralsAcknowledgedOnTime: 3,
        referralsAcknowledgedLate: 1,
        referralsAccepted: 2,
        casesOpened: 2,
        childCasesOpened: 2,
        casesSolved: 1,
        childCasesSolved: 1,
        casesClosed: 1,
        casesSentForProsecution: 1,
        victimsRescued: 1,
      });
      expect(nonZero('yanshan-no1-primary')).toMatchObject({ cluesSubmitted: 3 });
      // the portal is a 砚山县 agency even though its tip was about 文山市
      expect(nonZero('yanshan-public-portal')).toMatchObject({ cluesSubmitted: 1 });
      expect(nonZero('yanshan-hospital')).toMatchObject({ cluesSubmitted: 1, assessmentsReceived: 1, assessmentsCompleted: 1 });
      expect(nonZero('yanshan-civil-affairs')).toEqual({
        agencyId: 'yanshan-civil-affairs',
        name: expect.any(String),
        kind: 'CIVIL_AFFAIRS',
        jurisdiction: '532622',
        victimsReceived: 1,
        victimsSheltered: 1,
        victimsReintegrated: 1,
        assessmentsRequested: 1,
        reintegrationReferralsMade: 1,
        followUpVisits: 1,
      });
      expect(nonZero('yanshan-education')).toMatchObject({ reintegrationReferralsReceived: 1 });
      expect(Object.keys(nonZero('yanshan-justice'))).toEqual(['agencyId', 'name', 'kind', 'jurisdiction']);
    });

    it('adds the prefecture’s own agencies and 文山市 for 文山州', async () => {
      const res = await report('self-evaluations?jurisdiction=532600&year=2026');
      const agencies = Object.fromEntries(res.body.agencies.map((a: { agencyId: string }) => [a.agencyId, a]));
      expect(res.body.agencies.map((a: { jurisdiction: string }) => a.jurisdiction)).toEqual([...res.body.agencies.map((a: { jurisdiction: string }) => a.jurisdiction)].sort());
      expect(agencies['wenshanshi-police']).toMatchObject({
        referralsReceived: 2,
        referralsAcknowledged: 1,
        referralsAcknowledgedOnTime: 1,
        referralsEscalated: 1,
        referralsAccepted: 1,
        casesOpened: 1,
        casesSolved: 1,
        childCasesSolved: 1,
      });
      expect(agencies['wenshan-joint-conference-office']).toMatchObject({ escalationsReceived: 1 });
      expect(agencies['wenshan-procuratorate']).toMatchObject({ casesReceivedForProsecution: 1 });
      expect(agencies['wenshan-cac']).toMatchObject({ cluesSubmitted: 1 });
      expect(agencies['liuan-jco']).toBeUndefined();
      expect(agencies['yanshan-police'].referralsReceived).toBe(4);
      // nothing happened in 2025
      const before = (await report('self-evaluations?jurisdiction=532600&year=2025')).body.agencies;
      expect(before.every((a: Record<string, unknown>) => Object.values(a).every((v) => typeof v !== 'number' || v === 0))).toBe(true);
    });

    it('exports one CSV row per agency, Chinese names intact', async () => {
      const json = (await report('self-evaluations?jurisdiction=532622&year=2026')).body;
      const res = await report('self-evaluations?jurisdiction=532622&year=2026', AUDITOR, { accept: 'text/csv' });
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="self-evaluations-532622-2026.csv"');
      expect(res.body.startsWith('\uFEFFyear,agencyId,name,kind,jurisdiction,cluesSubmitted,')).toBe(true);
      const records = readCsvRecords(res.body);
      expect(records).toEqual(
        json.agencies.map((a: Record<string, unknown>) => ({ year: '2026', ...Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v === null ? '' : String(v)])) })),
      );
      expect(records.find((r) => r.agencyId === 'yanshan-police')).toMatchObject({ name: '砚山县公安局刑侦大队', referralsAcknowledgedLate: '1' });
    });
  });

  describe('access and validation', () => {
    it('lets the procuratorate and the office’s supervisor read reports too', async () => {
      for (const key of ['demo-procuratorate-auditor', 'demo-jco-supervisor']) {
        expect((await report('situation?period=2026-H1', key)).status).toBe(200);
      }
    });

    it('defaults to the auditor’s own jurisdiction', async () => {
      const own = await report('situation?period=2026-H1', OTHER_COUNTY_AUDITOR);
      expect(own.status).toBe(200);
      expect(own.body.scope.jurisdiction).toBe('532601');
      expect(own.body.clues.total).toBe(2);
    });

    it.each([
      ['a neighbouring county', OTHER_COUNTY_AUDITOR, 'situation?jurisdiction=532622&period=2026-H1'],
      ['the county’s own prefecture', OTHER_COUNTY_AUDITOR, 'self-evaluations?jurisdiction=532600&year=2026'],
      ['another province', OTHER_PROVINCE_AUDITOR, 'overdue-handoffs?jurisdiction=532600&period=2026-H1'],
      ['the province above its prefecture', 'demo-procuratorate-auditor', 'situation?jurisdiction=530000&period=2026-H1&format=csv'],
    ])('refuses an auditor asking about %s (403)', async (_name, key, path) => {
      const res = await report(path, key);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('FORBIDDEN');
      expect(res.body.message).toMatch(/does not cover/);
    });

    it('refuses non-auditors (403) and callers without a key (401)', async () => {
      for (const key of ['demo-yanshan-police-leader', 'demo-school-reporter', 'demo-civil-affairs-social-worker']) {
        const res = await report('situation?jurisdiction=532622&period=2026-H1', key);
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('FORBIDDEN');
      }
      expect((await t.request('GET', '/audit/reports/self-evaluations?year=2026')).status).toBe(401);
    });

    it.each([
      ['a half-year that does not exist', 'situation?period=2026-H3', 'period'],
      ['no period', 'situation?jurisdiction=532600', 'period'],
      ['a short division code', 'situation?jurisdiction=5326&period=2026', 'jurisdiction'],
      ['an unknown format', 'overdue-handoffs?period=2026&format=xlsx', 'format'],
      ['an unknown parameter', 'situation?period=2026&county=532622', ''],
      ['a half-year as the self-evaluation year', 'self-evaluations?year=2026-H1', 'year'],
      ['no year', 'self-evaluations?jurisdiction=532600', 'year'],
    ])('answers 400 for %s, naming the field', async (_name, path, field) => {
      const res = await report(path);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.issues[0].path).toBe(field);
    });
  });

  it('documents the three reports in OpenAPI with their parameters and who may call them', async () => {
    const doc = (await t.request('GET', '/docs/openapi.json')).body;
    for (const [path, params] of [
      ['/audit/reports/situation', ['jurisdiction', 'period', 'format']],
      ['/audit/reports/overdue-handoffs', ['jurisdiction', 'period', 'format']],
      ['/audit/reports/self-evaluations', ['jurisdiction', 'year', 'format']],
    ] as const) {
      const op = doc.paths[path].get;
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(params);
      expect(op.description).toMatch(/roles AUDITOR, SUPERVISOR; agency kinds JOINT_CONFERENCE_OFFICE, PROCURATORATE/);
      expect(op.responses['403'].description).toMatch(/jurisdiction/);
    }
    const situation = doc.paths['/audit/reports/situation'].get;
    expect(situation.parameters.find((p: { name: string }) => p.name === 'period').required).toBe(true);
    expect(JSON.stringify(situation.responses['200'])).toContain('发一破一');
  });

  describe('replay', () => {
    it('rebuilds the reports’ facts from position 0 equal to the live tables, with every other read model', async () => {
      const res = await t.request('POST', '/audit/replays', { key: AUDITOR });
      expect(res.status).toBe(200);
      expect(res.body.equal).toBe(true);
      const reports = res.body.projections.find((p: { projection: string }) => p.projection === 'audit_reports');
      expect(reports.equal).toBe(true);
      const rows = Object.fromEntries(reports.tables.map((x: { table: string; liveRows: number }) => [x.table, x.liveRows]));
      expect(rows).toEqual({
        audit_report_clues: 6,
        audit_report_referrals: 6,
        audit_report_cases: 3,
        audit_report_victims: 1,
        audit_report_placements: 1,
        audit_report_assessments: 1,
        audit_report_services: 1,
        audit_report_visits: 1,
      });
      expect(res.body.projections.length).toBeGreaterThan(1);
    });

    it('finds a tampered fact and names its table and row', async () => {
      const db = t.app.get<ReadModels>(READ_MODELS).db;
      const restore = db.prepare('SELECT acknowledged_ms FROM audit_report_referrals WHERE referral_id = ?').pluck().get(ids.B.referralId);
      db.prepare('UPDATE audit_report_referrals SET acknowledged_ms = acknowledge_by_ms WHERE referral_id = ?').run(ids.B.referralId);
      try {
        // the tampered row now reads as on time
        expect((await report('situation?jurisdiction=532622&period=2026-H1')).body.overdueHandoffs.acknowledgedLate).toBe(0);
        const res = await t.request('POST', '/audit/replays', { key: AUDITOR });
        expect(res.body.equal).toBe(false);
        const reports = res.body.projections.find((p: { projection: string }) => p.projection === 'audit_reports');
        const bad = reports.tables.find((x: { equal: boolean }) => !x.equal);
        expect(bad.table).toBe('audit_report_referrals');
        expect(bad.firstDifference.live.referral_id).toBe(ids.B.referralId);
        expect(bad.firstDifference.replay.acknowledged_ms).toBe(restore);
      } finally {
        db.prepare('UPDATE audit_report_referrals SET acknowledged_ms = ? WHERE referral_id = ?').run(restore, ids.B.referralId);
      }
    });
  });
});
