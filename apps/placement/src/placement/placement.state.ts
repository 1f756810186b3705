import {
  AssessmentRequested,
  AssessmentResultReceived,
  FamilyFound,
  FamilySearchStarted,
  FollowUpVisitRecorded,
  HouseholdRegistrationApplied,
  PlacementOpened,
  PlacementStatus,
  ReintegrationReferred,
  ShelterAssigned,
  VictimReintegrated,
  VictimReunified,
  type DomainEvent,
  type PayloadOf,
  type PlacementFile,
} from '@atr/contracts';

/** The victim file as the stream tells it (null before the hand-over); stay days are added when shown. */
export type PlacementState = Omit<PlacementFile, 'stayDays'> | null;

const MILESTONES: Partial<Record<string, PlacementStatus>> = {
  [PlacementOpened.type]: 'OPEN',
  [ShelterAssigned.type]: 'SHELTERED',
  [FamilySearchStarted.type]: 'FAMILY_SEARCH',
  [HouseholdRegistrationApplied.type]: 'HOUSEHOLD_REGISTRATION_APPLIED',
  [FamilyFound.type]: 'FAMILY_FOUND',
  [VictimReunified.type]: 'REUNIFIED',
  [VictimReintegrated.type]: 'REINTEGRATED',
};

/** The furthest milestone reached: moving shelter later does not make a reunified file "sheltered" again. */
export function advanceStatus(current: PlacementStatus | undefined, eventType: string): PlacementStatus | undefined {
  const next = MILESTONES[eventType];
  if (!next || !current) return next ?? current;
  return PlacementStatus.options.indexOf(next) > PlacementStatus.options.indexOf(current) ? next : current;
}

export function evolve(state: PlacementState, event: DomainEvent): PlacementState {
  if (event.type === PlacementOpened.type) {
    if (state) return state;
    const p = event.payload as PayloadOf<typeof PlacementOpened>;
    return {
      placementId: p.placementId,
      caseId: p.caseId,
      status: 'OPEN',
      revision: 0,
      openedAt: event.occurredAt,
      handedOverBy: p.handoff.from,
      civilAffairs: p.handoff.to,
      victim: p.victim,
      buyerFamilies: p.buyerFamilies,
      shelter: null,
      familySearch: null,
      familiesFound: [],
      reunification: null,
      householdRegistration: null,
      assessments: [],
      referrals: [],
      visits: [],
      reintegration: null,
    };
  }
  if (!state) return state;
  const s = { ...state, revision: state.revision + 1, status: advanceStatus(state.status, event.type) ?? state.status };
  const at = event.occurredAt;
  switch (event.type) {
    case ShelterAssigned.type: {
      const p = event.payload as PayloadOf<typeof ShelterAssigned>;
      return { ...s, shelter: { name: p.shelterName, since: p.since } };
    }
    case FamilySearchStarted.type: {
      const p = event.payload as PayloadOf<typeof FamilySearchStarted>;
      return { ...s, familySearch: { channels: p.channels, startedAt: at } };
    }
    case FamilyFound.type:
      return { ...s, familiesFound: [...s.familiesFound, (event.payload as PayloadOf<typeof FamilyFound>).family] };
    case VictimReunified.type:
      return { ...s, reunification: { family: (event.payload as PayloadOf<typeof VictimReunified>).family, at } };
    case HouseholdRegistrationApplied.type: {
      const p = event.payload as PayloadOf<typeof HouseholdRegistrationApplied>;
      return { ...s, householdRegistration: { appliedAt: at, stayDays: p.stayDays, to: p.handoff.to } };
    }
    case AssessmentRequested.type: {
      const p = event.payload as PayloadOf<typeof AssessmentRequested>;
      const entry = { assessmentId: p.assessmentId, kind: p.kind, question: p.question, requestedAt: at, agency: p.handoff.to, result: null };
      return { ...s, assessments: [...s.assessments, entry] };
    }
    case AssessmentResultReceived.type: {
      const p = event.payload as PayloadOf<typeof AssessmentResultReceived>;
      const result = { outcome: p.outcome, recommendations: p.recommendations, disabilityGrade: p.disabilityGrade, receivedAt: at };
      return { ...s, assessments: s.assessments.map((a) => (a.assessmentId === p.assessmentId ? { ...a, result } : a)) };
    }
    case ReintegrationReferred.type: {
      const p = event.payload as PayloadOf<typeof ReintegrationReferred>;
      return { ...s, referrals: [...s.referrals, { referralId: event.eventId, service: p.service, note: p.note, referredAt: at, to: p.handoff.to }] };
    }
    case FollowUpVisitRecorded.type: {
      const p = event.payload as PayloadOf<typeof FollowUpVisitRecorded>;
      return { ...s, visits: [...s.visits, { visitedAt: p.visitedAt, notes: p.notes, wellbeing: p.wellbeing, recordedAt: at }] };
    }
    case VictimReintegrated.type:
      return { ...s, reintegration: { summary: (event.payload as PayloadOf<typeof VictimReintegrated>).summary, at } };
    default:
      return s;
  }
}

