import {
  AssessmentRequested,
  AssessmentResultReceived,
  FamilyFound,
  FamilySearchStarted,
  FollowUpVisitRecorded,
  HouseholdRegistrationApplied,
  PlacementOpened,
  ReintegrationReferred,
  ReferredPerson,
  ShelterAssigned,
  VictimReintegrated,
  VictimReunified,
  type AgencyKind,
  type AssessmentKind,
  type BuyerFamily,
  type Family,
  type Party,
  type PayloadOf,
  type RecordFollowUpVisitBody,
  type ReintegrationService,
  type RequestAssessmentBody,
  type ReferReintegrationBody,
} from '@atr/contracts';
import { NotFound, RuleViolation, draft, type Decider, type EventDraft } from '@atr/platform';
export type { PlacementState } from './placement.state';
import { evolve, type PlacementState } from './placement.state';
import { ageAt, wholeDaysBetween } from './time';

type Parties = { from: Party; to: Party };

export type PlacementCommand =
  | { type: 'OpenPlacement'; opened: PayloadOf<typeof PlacementOpened> }
  | { type: 'AssignShelter'; shelterName: string; now: string }
  | { type: 'StartFamilySearch'; channels: string[] }
  | { type: 'RecordFamilyFound'; family: Family }
  | { type: 'Reunify'; familyId: string }
  | ({ type: 'ApplyHouseholdRegistration'; now: string; minStayDays: number } & Parties)
  | ({ type: 'RequestAssessment'; assessmentId: string } & Omit<RequestAssessmentBody, 'agencyId'> & Parties)
  | { type: 'RecordAssessmentResult'; result: PayloadOf<typeof AssessmentResultReceived> }
  | ({ type: 'ReferReintegration'; now: string } & ReferReintegrationBody & Parties)
  | ({ type: 'RecordFollowUpVisit'; now: string } & RecordFollowUpVisitBody)
  | { type: 'Reintegrate'; summary: string };

/** Who assesses what (定点医疗机构, 残联, 民政). */
export const ASSESSING_AGENCY_KIND: Record<AssessmentKind, AgencyKind> = {
  MEDICAL: 'HEALTH',
  PSYCHOLOGICAL: 'HEALTH',
  DISABILITY: 'DISABLED_FEDERATION',
  ADOPTION: 'CIVIL_AFFAIRS',
  RISK: 'CIVIL_AFFAIRS',
};

/** Who provides each reintegration service (回归社会). */
export const SERVICE_AGENCY_KIND: Record<ReintegrationService, AgencyKind> = {
  SCHOOL_ENROLMENT: 'EDUCATION',
  VOCATIONAL_TRAINING: 'HR_SOCIAL_SECURITY',
  LEGAL_AID: 'JUSTICE',
};

export const VOCATIONAL_TRAINING_MIN_AGE = 16;

/** A buyer family recorded on the case that this family is, by id or by any member's ID number. */
export function matchingBuyerFamily(family: Pick<Family, 'familyId' | 'memberIdNumbers'>, buyers: BuyerFamily[]): BuyerFamily | undefined {
  return buyers.find((b) => b.familyId === family.familyId || family.memberIdNumbers.some((id) => b.memberIdNumbers.includes(id)));
}

function buyerFamilyForbidden(buyer: BuyerFamily): RuleViolation {
  return new RuleViolation(
    'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN',
    `family ${buyer.familyId} (${buyer.householdHead}) is a buyer family recorded on the case: the victim may never be placed with it (不得由收买家庭继续抚养)`,
    422,
  );
}

function open(state: PlacementState): NonNullable<PlacementState> {
  if (!state) throw new NotFound('placement', 'unknown');
  return state;
}

function notClosed(state: PlacementState): NonNullable<PlacementState> {
  const s = open(state);
  if (s.reintegration) throw new RuleViolation('PLACEMENT_CLOSED', 'the victim was reintegrated and the file is closed; only follow-up visits can be recorded');
  return s;
}

function inCare(state: PlacementState): NonNullable<PlacementState> {
  const s = notClosed(state);
  if (s.reunification) throw new RuleViolation('VICTIM_ALREADY_REUNIFIED', `the victim went back to family ${s.reunification.family.familyId} on ${s.reunification.at}`);
  return s;
}

function decide(command: PlacementCommand, state: PlacementState): EventDraft[] {
  switch (command.type) {
    case 'OpenPlacement':
      // a second hand-over of the same placement (police retried with a new event) changes nothing
      return state ? [] : [draft(PlacementOpened, command.opened)];
    case 'AssignShelter': {
      const s = inCare(state);
      return [draft(ShelterAssigned, { placementId: s.placementId, shelterName: command.shelterName, since: command.now })];
    }
    case 'StartFamilySearch': {
      const s = inCare(state);
      return [draft(FamilySearchStarted, { placementId: s.placementId, channels: command.channels })];
    }
    case 'RecordFamilyFound': {
      const s = inCare(state);
      const buyer = matchingBuyerFamily(command.family, s.buyerFamilies);
      if (buyer) throw buyerFamilyForbidden(buyer);
      if (s.familiesFound.some((f) => f.familyId === command.family.familyId)) {
        throw new RuleViolation('FAMILY_ALREADY_RECORDED', `family ${command.family.familyId} is already recorded as found`);
      }
      return [draft(FamilyFound, { placementId: s.placementId, family: command.family })];
    }
    case 'Reunify':
      return reunify(inCare(state), command.familyId);
    case 'ApplyHouseholdRegistration':
      return applyHouseholdRegistration(inCare(state), command);
    case 'RequestAssessment': {
      const s = notClosed(state);
      const needed = ASSESSING_AGENCY_KIND[command.kind];
      if (command.to.agencyKind !== needed) {
        throw new RuleViolation('ASSESSING_AGENCY_UNSUITABLE', `a ${command.kind} assessment is made by an agency of kind ${needed}, not ${command.to.agencyKind}`, 422);
      }
      return [
        draft(AssessmentRequested, {
          placementId: s.placementId,
          assessmentId: command.assessmentId,
          kind: command.kind,
          handoff: { from: command.from, to: command.to, reason: `${command.kind} assessment of a rescued victim` },
          victim: s.victim,
          ...(command.question ? { question: command.question } : {}),
        }),
      ];
    }
    case 'RecordAssessmentResult': {
      const s = open(state);
      const requested = s.assessments.find((a) => a.assessmentId === command.result.assessmentId);
      if (!requested) throw new RuleViolation('ASSESSMENT_NOT_REQUESTED', `assessment ${command.result.assessmentId} was not requested for this placement`);
      // a result reaching a closed file is still a fact worth keeping in it
      return requested.result ? [] : [draft(AssessmentResultReceived, command.result)];
    }
    case 'ReferReintegration':
      return referReintegration(notClosed(state), command);
    case 'RecordFollowUpVisit': {
      const s = open(state);
      if (Date.parse(command.visitedAt) > Date.parse(command.now)) {
        throw new RuleViolation('VISIT_IN_FUTURE', `a visit on ${command.visitedAt} has not happened yet`, 422);
      }
      const { visitedAt, notes, wellbeing } = command;
      return [draft(FollowUpVisitRecorded, { placementId: s.placementId, visitedAt, notes, wellbeing })];
    }
    case 'Reintegrate': {
      const s = notClosed(state);
      return [draft(VictimReintegrated, { placementId: s.placementId, summary: command.summary })];
    }
  }
}

function reunify(s: NonNullable<PlacementState>, familyId: string): EventDraft[] {
  const buyerById = s.buyerFamilies.find((b) => b.familyId === familyId);
  if (buyerById) throw buyerFamilyForbidden(buyerById);
  const family = s.familiesFound.find((f) => f.familyId === familyId);
  if (!family) throw new RuleViolation('FAMILY_NOT_FOUND', `family ${familyId} has not been recorded as found for this victim`);
  const buyer = matchingBuyerFamily(family, s.buyerFamilies);
  if (buyer) throw buyerFamilyForbidden(buyer);
  return [draft(VictimReunified, { placementId: s.placementId, family })];
}

function applyHouseholdRegistration(
  s: NonNullable<PlacementState>,
  c: Extract<PlacementCommand, { type: 'ApplyHouseholdRegistration' }>,
): EventDraft[] {
  if (s.familiesFound.length > 0) {
    throw new RuleViolation('FAMILY_FOUND', 'a family was found for the victim: household registration is only for victims without family');
  }
  if (s.householdRegistration) {
    throw new RuleViolation('HOUSEHOLD_REGISTRATION_ALREADY_APPLIED', `household registration was applied for on ${s.householdRegistration.appliedAt}`);
  }
  const stayDays = wholeDaysBetween(s.openedAt, c.now);
  if (stayDays < c.minStayDays) {
    const remaining = c.minStayDays - stayDays;
    throw new RuleViolation(
      'MIN_STAY_NOT_REACHED',
      `the victim has stayed ${stayDays} days; household registration needs ${c.minStayDays} days without a family: ${remaining} day(s) remain`,
    );
  }
  const handoff = { from: c.from, to: c.to, reason: `no family found after ${stayDays} days: household registration (落户) requested` };
  return [draft(HouseholdRegistrationApplied, { placementId: s.placementId, handoff, stayDays })];
}

function referReintegration(s: NonNullable<PlacementState>, c: Extract<PlacementCommand, { type: 'ReferReintegration' }>): EventDraft[] {
  if (c.service === 'VOCATIONAL_TRAINING') {
    const age = ageAt(s.victim, s.openedAt, c.now);
    if (age === undefined) {
      throw new RuleViolation('VOCATIONAL_TRAINING_REQUIRES_AGE_16', 'the victim’s age is unknown: vocational training is only for victims aged 16 or more', 422);
    }
    if (age < VOCATIONAL_TRAINING_MIN_AGE) {
      throw new RuleViolation('VOCATIONAL_TRAINING_REQUIRES_AGE_16', `the victim is ${age}: vocational training is only for victims aged 16 or more`, 422);
    }
  }
  // the receiving service gets the person without the victim's description (need-to-know)
  const person = ReferredPerson.parse(s.victim);
  const handoff = { from: c.from, to: c.to, reason: `${c.service} for a rescued victim (回归社会)` };
  return [draft(ReintegrationReferred, { placementId: s.placementId, service: c.service, handoff, person, ...(c.note ? { note: c.note } : {}) })];
}

export const placementDecider: Decider<PlacementState, PlacementCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
