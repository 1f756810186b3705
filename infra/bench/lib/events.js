'use strict';
// Realistic events for the benchmark: whole journeys (clue → referral → case) with payloads that
// pass the contracts' zod schemas, as the command runner requires before it appends (replay
// threads then skip re-validating them; the v1 events are upcast and validated on every read).
const { randomUUID } = require('node:crypto');

const schoolActor = { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622', userId: 'clerk-yang', role: 'REPORTER' };
const intakeSystem = { agencyId: 'intake', agencyKind: 'JOINT_CONFERENCE_OFFICE', jurisdiction: '532600', userId: 'intake', role: 'SYSTEM' };
const policeSystem = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'police', role: 'SYSTEM' };
const officer = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'officer-li', role: 'OFFICER' };

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['小红', '小明', '丽', '芳', '军', '伟', '娜', '静', '磊', '婷'];
const DIVISIONS = ['532622', '532601', '532626', '532622', '532622'];

/** Unique per n (duplicate detection links clues about the same child instead of referring them). */
function idNumber(n) {
  return `532622${String(n).padStart(11, '0')}${n % 11 === 10 ? 'X' : n % 10}`;
}

const DAY_MS = 86_400_000;
const BIRTH_DAYS = 4380; // 2008-01-01 + up to 12 years

/**
 * The facts of school report number n. Name + birth date and the ID number are unique for
 * n < 438,000, so intake's duplicate detection refers every clue instead of linking it.
 */
function schoolFacts(n) {
  const name = SURNAMES[Math.floor(n / BIRTH_DAYS) % 10] + GIVEN[Math.floor(n / (BIRTH_DAYS * 10)) % 10];
  const birthDate = new Date(Date.UTC(2008, 0, 1) + (n % BIRTH_DAYS) * DAY_MS).toISOString().slice(0, 10);
  const student = { name, idNumber: idNumber(n), birthDate, sex: n % 3 ? 'F' : 'M', description: '三年级学生，开学后连续两周未到校，家长电话无法接通。' };
  return {
    divisionCode: DIVISIONS[n % DIVISIONS.length],
    address: `砚山县江那镇第${1 + (n % 30)}村`,
    summary: `学生${name}失学且来历不明，疑似被拐卖（第${n}号报告）`,
    student,
    details: { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: n % 2 ? 'UNEXPLAINED_DROPOUT' : 'MANDATORY_REPORT_SUSPECTED_VICTIM', student, lastSeenAt: '2025-03-01' },
  };
}

function newEvent(type, actor, payload, correlationId, causationId, occurredAt, schemaVersion = 1) {
  return { eventId: randomUUID(), type, schemaVersion, occurredAt, actor, correlationId, causationId, payload };
}

/**
 * One journey as appends (stream, events): a school clue submitted, triaged and referred; police
 * receive, acknowledge and accept it; intake records the outcomes; a case is opened with a DNA
 * sample. 12 events over 4 streams. Every 10th ClueSubmitted is stored as v1 so reads upcast.
 */
function journey(n, baseMs = Date.UTC(2025, 0, 1)) {
  const t = (i) => new Date(baseMs + n * 60_000 + i * 1000).toISOString();
  const clueId = randomUUID();
  const referralId = randomUUID();
  const caseId = randomUUID();
  const f = schoolFacts(n);
  const location = { divisionCode: f.divisionCode, address: f.address };
  const common = { source: 'SCHOOL', summary: f.summary, location, child: f.student, childMissing: n % 2 === 1, childInDanger: n % 5 === 0, details: f.details };
  const submittedCommon = {
    clueId, source: 'SCHOOL', submittedBy: { agencyId: schoolActor.agencyId, agencyKind: 'EDUCATION', jurisdiction: '532622' },
    idempotencyKey: `school-${n}`, requestHash: `sha256:${'ab'.repeat(32)}`,
    summary: f.summary, child: f.student, childMissing: common.childMissing, childInDanger: common.childInDanger, details: f.details,
  };
  const v1 = n % 10 === 0;
  const submitted = v1
    ? newEvent('ClueSubmitted', schoolActor, { ...submittedCommon, divisionCode: f.divisionCode, address: f.address }, clueId, `req-${n}`, t(0), 1)
    : newEvent('ClueSubmitted', schoolActor, { ...submittedCommon, location }, clueId, `req-${n}`, t(0), 2);
  const priority = common.childMissing ? 'URGENT' : 'HIGH';
  const acknowledgeBy = new Date(baseMs + n * 60_000 + 15 * 60_000).toISOString();
  const handoff = {
    from: { agencyId: null, agencyKind: 'JOINT_CONFERENCE_OFFICE', jurisdiction: '532600' },
    to: { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' },
    reason: '线索移送辖区公安机关',
  };
  const triaged = newEvent('ClueTriaged', intakeSystem, {
    clueId, category: 'CHILD_TRAFFICKING', priority, reasons: ['child missing', 'school report'], acknowledgeWithinMinutes: 15,
    routedTo: { agencyId: 'yanshan-police', jurisdiction: '532622', queue: 'UNIT' }, fingerprints: [`child:${f.student.idNumber}`],
  }, clueId, submitted.eventId, t(1));
  const referred = newEvent('ClueReferred', intakeSystem, { clueId, referralId, handoff, category: 'CHILD_TRAFFICKING', priority, acknowledgeBy, ...common }, clueId, triaged.eventId, t(2));
  const received = newEvent('ReferralReceived', policeSystem, { referralId, clueId, handoff, category: 'CHILD_TRAFFICKING', priority, acknowledgeBy, ...common }, clueId, referred.eventId, t(3));
  const acknowledged = newEvent('ReferralAcknowledged', officer, { referralId, clueId, acknowledgeBy, late: false }, clueId, received.eventId, t(4));
  const accepted = newEvent('ReferralAccepted', officer, { referralId, clueId, caseId, mode: 'OPENED_CASE' }, clueId, acknowledged.eventId, t(5));
  const by = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' };
  const outcomeAck = newEvent('ClueOutcomeRecorded', intakeSystem, { clueId, referralId, outcome: 'ACKNOWLEDGED', by }, clueId, acknowledged.eventId, t(6));
  const outcomeAcc = newEvent('ClueOutcomeRecorded', intakeSystem, { clueId, referralId, outcome: 'ACCEPTED', caseId, by }, clueId, accepted.eventId, t(7));
  const opened = newEvent('CaseOpened', officer, {
    caseId, referralId, clueId, category: 'CHILD_TRAFFICKING', childCase: true, jurisdiction: '532622', agencyId: 'yanshan-police',
    title: `${f.student.name}失学案`, taskForceLeader: { userId: 'leader-wang', name: '王队长' },
  }, clueId, accepted.eventId, t(8));
  const dna = newEvent('DnaSampleTaken', officer, { caseId, sampleId: `DNA-${n}`, subject: 'CHILD', laboratory: '文山州公安局DNA实验室' }, clueId, opened.eventId, t(9));
  const suspect = newEvent('SuspectIdentified', officer, { caseId, suspectId: `S-${n}`, description: '男，40岁左右，外省口音', arrested: n % 4 === 0 }, clueId, dna.eventId, t(10));
  const match = newEvent('DnaMatchFound', officer, { caseId, sampleId: `DNA-${n}`, matchedSampleRef: `PARENT-${n}`, confidence: 0.9999 }, clueId, dna.eventId, t(11));
  return [
    { streamId: `clue-${clueId}`, events: [submitted, triaged, referred], expected: 'no_stream' },
    { streamId: `referral-${referralId}`, events: [received, acknowledged, accepted], expected: 'no_stream' },
    { streamId: `clue-${clueId}`, events: [outcomeAck, outcomeAcc], expected: 2 },
    { streamId: `case-${caseId}`, events: [opened, dna, suspect, match], expected: 'no_stream' },
  ];
}
const EVENTS_PER_JOURNEY = 12;

/** A body for POST /clues/school-reports (see packages/contracts/src/clue/clue.http.ts). */
function schoolReportBody(n) {
  const f = schoolFacts(n);
  return {
    location: { divisionCode: f.divisionCode, address: f.address },
    summary: f.summary,
    childMissing: n % 2 === 1,
    childInDanger: false,
    schoolName: f.details.schoolName,
    reason: f.details.reason,
    student: f.student,
    lastSeenAt: '2025-03-01',
  };
}

module.exports = { journey, EVENTS_PER_JOURNEY, schoolFacts, schoolReportBody, schoolActor, newEvent };
