import { randomUUID } from 'node:crypto';
import {
  AssessmentRequested,
  AssessmentResultReceived,
  FamilyFound,
  HouseholdRegistrationApplied,
  PlacementOpened,
  ReintegrationReferred,
  ShelterAssigned,
  VictimReintegrated,
  VictimReunified,
  type DomainEvent,
  type EventDefinition,
  type Party,
  type PayloadOf,
} from '@atr/contracts';
import { NotFound, RuleViolation, given } from '@atr/platform';
import { placementDecider, type PlacementCommand } from './placement.decider';

const T0 = '2026-01-01T00:00:00.000Z';
const daysAfter = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
const placementId = randomUUID();
const police: Party = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' };
const civilAffairs: Party = { agencyId: 'yanshan-civil-affairs', agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622' };
const hospital: Party = { agencyId: 'yanshan-hospital', agencyKind: 'HEALTH', jurisdiction: '532622' };
const federation: Party = { agencyId: 'yanshan-disabled-federation', agencyKind: 'DISABLED_FEDERATION', jurisdiction: '532622' };
const hrss: Party = { agencyId: 'yanshan-hrss', agencyKind: 'HR_SOCIAL_SECURITY', jurisdiction: '532622' };
const education: Party = { agencyId: 'yanshan-education', agencyKind: 'EDUCATION', jurisdiction: '532622' };

const buyer = { familyId: 'buyer-1', householdHead: '王某', memberIdNumbers: ['532622198001011234'] };
const birthFamily = { familyId: 'birth-1', householdHead: '李某', memberIdNumbers: ['532622198502021235'], relationship: 'BIRTH_PARENTS' as const };

const opened: PayloadOf<typeof PlacementOpened> = {
  placementId,
  caseId: randomUUID(),
  handoff: { from: police, to: civilAffairs, reason: 'rescued child' },
  victim: { victimId: randomUUID(), name: '小花', isChild: true, ageYears: 15, description: '左臂有胎记' },
  buyerFamilies: [buyer],
};

/** An event as the store would hand it back, at a given time. */
function event<D extends EventDefinition>(def: D, payload: PayloadOf<D>, occurredAt = T0): DomainEvent {
  return { type: def.type, payload, occurredAt, eventId: randomUUID() } as unknown as DomainEvent;
}

const openedEvent = event(PlacementOpened, opened);
const found = event(FamilyFound, { placementId, family: birthFamily });
const reintegrated = event(VictimReintegrated, { placementId, summary: '已返校' });

/** The rule a command breaks (fails the test when it breaks none). */
function violation(history: DomainEvent[], command: PlacementCommand): RuleViolation {
  try {
    given(placementDecider, history).when(command);
  } catch (error) {
    if (error instanceof RuleViolation) return error;
    throw error;
  }
  throw new Error(`${command.type} broke no rule`);
}

describe('placement decider', () => {
  describe('opening (VictimHandedOver received)', () => {
    it('opens the file with the victim and the buyer families', () => {
      const [e] = given(placementDecider, []).when({ type: 'OpenPlacement', opened });
      expect(e).toEqual({ type: 'PlacementOpened', payload: opened });
    });
    it('ignores a second hand-over of the same placement', () => {
      expect(given(placementDecider, [openedEvent]).when({ type: 'OpenPlacement', opened })).toEqual([]);
    });
    it('refuses commands on a placement that was never opened', () => {
      expect(() => given(placementDecider, []).when({ type: 'StartFamilySearch', channels: ['宝贝回家'] })).toThrow(NotFound);
    });
  });

  describe('shelter and family search', () => {
    it('assigns a shelter from now', () => {
      const [e] = given(placementDecider, [openedEvent]).when({ type: 'AssignShelter', shelterName: '砚山县救助管理站', now: daysAfter(1) });
      expect(e).toEqual({ type: 'ShelterAssigned', payload: { placementId, shelterName: '砚山县救助管理站', since: daysAfter(1) } });
    });
    it('starts a family search', () => {
      const [e] = given(placementDecider, [openedEvent]).when({ type: 'StartFamilySearch', channels: ['打拐DNA库', '宝贝回家'] });
      expect(e.type).toBe('FamilySearchStarted');
    });
    it('rule VICTIM_ALREADY_REUNIFIED: no shelter once the victim went home', () => {
      const history = [openedEvent, found, event(VictimReunified, { placementId, family: birthFamily })];
      expect(violation(history, { type: 'AssignShelter', shelterName: 'x', now: T0 })).toMatchObject({ rule: 'VICTIM_ALREADY_REUNIFIED', status: 409 });
    });
    it('rule PLACEMENT_CLOSED: nothing but follow-up visits after reintegration', () => {
      expect(violation([openedEvent, reintegrated], { type: 'StartFamilySearch', channels: ['x'] })).toMatchObject({ rule: 'PLACEMENT_CLOSED', status: 409 });
    });
  });

  describe('family found and reunification', () => {
    it('records a found family', () => {
      const [e] = given(placementDecider, [openedEvent]).when({ type: 'RecordFamilyFound', family: birthFamily });
      expect(e).toEqual({ type: 'FamilyFound', payload: { placementId, family: birthFamily } });
    });
    it('rule PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN: a buyer family cannot be recorded as found (same id)', () => {
      const family = { ...birthFamily, familyId: 'buyer-1', memberIdNumbers: [] };
      expect(violation([openedEvent], { type: 'RecordFamilyFound', family })).toMatchObject({ rule: 'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN', status: 422 });
    });
    it('rule PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN: nor under another id with a buyer’s member', () => {
      const family = { ...birthFamily, familyId: 'disguised', memberIdNumbers: ['532622198001011234'] };
      expect(violation([openedEvent], { type: 'RecordFamilyFound', family })).toMatchObject({ rule: 'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN' });
    });
    it('rule FAMILY_ALREADY_RECORDED', () => {
      expect(violation([openedEvent, found], { type: 'RecordFamilyFound', family: birthFamily })).toMatchObject({ rule: 'FAMILY_ALREADY_RECORDED', status: 409 });
    });
    it('reunifies the victim with the found birth family', () => {
      const [e] = given(placementDecider, [openedEvent, found]).when({ type: 'Reunify', familyId: 'birth-1' });
      expect(e).toEqual({ type: 'VictimReunified', payload: { placementId, family: birthFamily } });
    });
    it('rule PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN: never reunified with the buyer family', () => {
      expect(violation([openedEvent, found], { type: 'Reunify', familyId: 'buyer-1' })).toMatchObject({ rule: 'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN', status: 422 });
    });
    it('rule FAMILY_NOT_FOUND: only a family that was found', () => {
      expect(violation([openedEvent], { type: 'Reunify', familyId: 'birth-1' })).toMatchObject({ rule: 'FAMILY_NOT_FOUND', status: 409 });
    });
    it('rule VICTIM_ALREADY_REUNIFIED: only once', () => {
      const history = [openedEvent, found, event(VictimReunified, { placementId, family: birthFamily })];
      expect(violation(history, { type: 'Reunify', familyId: 'birth-1' })).toMatchObject({ rule: 'VICTIM_ALREADY_REUNIFIED' });
    });
  });

  describe('household registration (落户)', () => {
    const apply = (now: string): PlacementCommand => ({ type: 'ApplyHouseholdRegistration', now, minStayDays: 90, from: civilAffairs, to: police });
    it('hands over to police after the minimum stay without a family', () => {
      const [e] = given(placementDecider, [openedEvent]).when(apply(daysAfter(90)));
      expect(e.type).toBe('HouseholdRegistrationApplied');
      expect(e.payload).toMatchObject({ placementId, stayDays: 90, handoff: { from: civilAffairs, to: police } });
    });
    it('rule MIN_STAY_NOT_REACHED says how many days remain', () => {
      const v = violation([openedEvent], apply(daysAfter(89)));
      expect(v).toMatchObject({ rule: 'MIN_STAY_NOT_REACHED', status: 409 });
      expect(v.message).toContain('1 day(s) remain');
    });
    it('rule FAMILY_FOUND: not for a victim with a family', () => {
      expect(violation([openedEvent, found], apply(daysAfter(200)))).toMatchObject({ rule: 'FAMILY_FOUND', status: 409 });
    });
    it('rule HOUSEHOLD_REGISTRATION_ALREADY_APPLIED', () => {
      const applied = event(HouseholdRegistrationApplied, { placementId, stayDays: 90, handoff: { from: civilAffairs, to: police, reason: 'x' } }, daysAfter(90));
      expect(violation([openedEvent, applied], apply(daysAfter(100)))).toMatchObject({ rule: 'HOUSEHOLD_REGISTRATION_ALREADY_APPLIED' });
    });
  });

  describe('assessments', () => {
    const assessmentId = randomUUID();
    const request = (to: Party): PlacementCommand => ({ type: 'RequestAssessment', assessmentId, kind: 'MEDICAL', question: '营养状况', from: civilAffairs, to });
    const requested = event(AssessmentRequested, {
      placementId,
      assessmentId,
      kind: 'MEDICAL',
      handoff: { from: civilAffairs, to: hospital, reason: 'x' },
      victim: opened.victim,
    });
    const result = { placementId, assessmentId, kind: 'MEDICAL' as const, outcome: '健康', recommendations: ['复查'] };

    it('hands the request to the assessing agency with the victim', () => {
      const [e] = given(placementDecider, [openedEvent]).when(request(hospital));
      expect(e.payload).toEqual({ placementId, assessmentId, kind: 'MEDICAL', question: '营养状况', victim: opened.victim, handoff: expect.objectContaining({ from: civilAffairs, to: hospital }) });
    });
    it('rule ASSESSING_AGENCY_UNSUITABLE: a medical assessment is not for the disabled persons’ federation', () => {
      expect(violation([openedEvent], request(federation))).toMatchObject({ rule: 'ASSESSING_AGENCY_UNSUITABLE', status: 422 });
    });
    it('rule PLACEMENT_CLOSED: no new assessment on a closed file', () => {
      expect(violation([openedEvent, reintegrated], request(hospital))).toMatchObject({ rule: 'PLACEMENT_CLOSED' });
    });
    it('records a result once, even on a closed file', () => {
      const [e] = given(placementDecider, [openedEvent, requested, reintegrated]).when({ type: 'RecordAssessmentResult', result });
      expect(e).toEqual({ type: 'AssessmentResultReceived', payload: result });
      const received = event(AssessmentResultReceived, result);
      expect(given(placementDecider, [openedEvent, requested, received]).when({ type: 'RecordAssessmentResult', result })).toEqual([]);
    });
    it('rule ASSESSMENT_NOT_REQUESTED: a result for an assessment this file never asked for', () => {
      expect(violation([openedEvent], { type: 'RecordAssessmentResult', result })).toMatchObject({ rule: 'ASSESSMENT_NOT_REQUESTED' });
    });
    it('shows the result beside its request in the file', () => {
      const { state } = given(placementDecider, [openedEvent, requested, event(AssessmentResultReceived, result, daysAfter(3))]);
      expect(state?.assessments).toEqual([expect.objectContaining({ assessmentId, agency: hospital, result: expect.objectContaining({ outcome: '健康', receivedAt: daysAfter(3) }) })]);
    });
  });

  describe('reintegration', () => {
    const refer = (service: 'SCHOOL_ENROLMENT' | 'VOCATIONAL_TRAINING', to: Party, now = daysAfter(1)): PlacementCommand => ({ type: 'ReferReintegration', service, from: civilAffairs, to, now });
    const withVictim = (victim: Partial<typeof opened.victim>) => event(PlacementOpened, { ...opened, victim: { ...opened.victim, ...victim } });

    it('refers to school enrolment without the victim’s description', () => {
      const [e] = given(placementDecider, [openedEvent]).when(refer('SCHOOL_ENROLMENT', education));
      const payload = e.payload as PayloadOf<typeof ReintegrationReferred>;
      expect(payload).toMatchObject({ service: 'SCHOOL_ENROLMENT', handoff: { to: education }, person: { name: '小花', ageYears: 15 } });
      expect(payload.person).not.toHaveProperty('description');
    });
    it('rule VOCATIONAL_TRAINING_REQUIRES_AGE_16: not for a 15-year-old', () => {
      const v = violation([openedEvent], refer('VOCATIONAL_TRAINING', hrss));
      expect(v).toMatchObject({ rule: 'VOCATIONAL_TRAINING_REQUIRES_AGE_16', status: 422 });
      expect(v.message).toContain('is 15');
    });
    it('rule VOCATIONAL_TRAINING_REQUIRES_AGE_16: not when the age is unknown, and says so', () => {
      const v = violation([withVictim({ ageYears: undefined })], refer('VOCATIONAL_TRAINING', hrss));
      expect(v).toMatchObject({ rule: 'VOCATIONAL_TRAINING_REQUIRES_AGE_16' });
      expect(v.message).toContain('unknown');
    });
    it('counts the years in care: 15 at the hand-over, 16 a year later', () => {
      expect(given(placementDecider, [openedEvent]).when(refer('VOCATIONAL_TRAINING', hrss, daysAfter(366)))).toHaveLength(1);
    });
    it('uses the birth date when known', () => {
      const sixteen = withVictim({ ageYears: undefined, birthDate: '2009-12-31' });
      expect(given(placementDecider, [sixteen]).when(refer('VOCATIONAL_TRAINING', hrss))).toHaveLength(1);
    });
    it('records follow-up visits, even on a closed file', () => {
      const [e] = given(placementDecider, [openedEvent, reintegrated]).when({ type: 'RecordFollowUpVisit', visitedAt: daysAfter(30), notes: '适应良好', wellbeing: 'GOOD', now: daysAfter(31) });
      expect(e.type).toBe('FollowUpVisitRecorded');
    });
    it('rule VISIT_IN_FUTURE', () => {
      expect(violation([openedEvent], { type: 'RecordFollowUpVisit', visitedAt: daysAfter(2), notes: 'x', wellbeing: 'GOOD', now: daysAfter(1) })).toMatchObject({ rule: 'VISIT_IN_FUTURE', status: 422 });
    });
    it('closes the file once', () => {
      expect(given(placementDecider, [openedEvent]).when({ type: 'Reintegrate', summary: '回归社会' })[0].type).toBe('VictimReintegrated');
      expect(violation([openedEvent, reintegrated], { type: 'Reintegrate', summary: 'again' })).toMatchObject({ rule: 'PLACEMENT_CLOSED' });
    });
  });

  describe('status', () => {
    it('is the furthest milestone reached', () => {
      const shelter = event(ShelterAssigned, { placementId, shelterName: 'x', since: T0 });
      expect(given(placementDecider, [openedEvent, found, shelter]).state?.status).toBe('FAMILY_FOUND');
      expect(given(placementDecider, [openedEvent, shelter]).state?.status).toBe('SHELTERED');
      expect(given(placementDecider, [openedEvent, found, reintegrated]).state).toMatchObject({ status: 'REINTEGRATED', revision: 2 });
    });
  });
});
