import {
  InformationReceived,
  InformationRequested,
  ReferralAccepted,
  ReferralAcknowledged,
  ReferralEscalated,
  ReferralReceived,
  ReferralRejected,
  type DomainEvent,
  type Handoff,
  type PayloadOf,
  type ReferralStatus,
} from '@atr/contracts';
import { draft, RuleViolation, type Decider, type EventDraft } from '@atr/platform';
import { isAfter, minutesBetween, payloadOf } from '../shared/events';

export type ReceivedReferral = PayloadOf<typeof ReferralReceived>;

export interface ReferralState {
  status: ReferralStatus | 'NONE';
  referral?: ReceivedReferral;
  receivedAt?: string;
  acknowledgedAt?: string;
  late?: boolean;
  escalation?: { escalatedAt?: string; overdueMinutes: number };
  caseId?: string;
  acceptedAs?: 'OPENED_CASE' | 'ATTACHED_TO_CASE';
  rejection?: { reason: string; forwardTo?: { agencyKind: string; jurisdiction: string } };
  requests: { requestId: string; question: string; requestedAt?: string; answers: { answer: string; receivedAt?: string }[] }[];
}

export type ReferralCommand =
  | { type: 'ReceiveReferral'; referral: ReceivedReferral }
  | { type: 'AcknowledgeReferral'; at: string }
  | { type: 'AcceptReferral'; caseId: string; mode: 'OPENED_CASE' | 'ATTACHED_TO_CASE'; at: string }
  | { type: 'RejectReferral'; reason: string; forwardTo?: { agencyKind: string; jurisdiction: string }; at: string }
  | { type: 'RequestInformation'; requestId: string; question: string; handoff: Handoff; at: string }
  | { type: 'ReceiveInformation'; requestId: string; answer: string }
  | { type: 'EscalateReferral'; at: string; handoff: Handoff };

const initialState = (): ReferralState => ({ status: 'NONE', requests: [] });

function evolve(state: ReferralState, event: DomainEvent): ReferralState {
  switch (event.type) {
    case ReferralReceived.type:
      return { ...state, status: 'RECEIVED', referral: payloadOf(ReferralReceived, event), receivedAt: event.occurredAt };
    case ReferralAcknowledged.type:
      return { ...state, status: 'ACKNOWLEDGED', acknowledgedAt: event.occurredAt, late: payloadOf(ReferralAcknowledged, event).late };
    case ReferralAccepted.type: {
      const p = payloadOf(ReferralAccepted, event);
      return { ...state, status: 'ACCEPTED', caseId: p.caseId, acceptedAs: p.mode };
    }
    case ReferralRejected.type: {
      const p = payloadOf(ReferralRejected, event);
      return { ...state, status: 'REJECTED', rejection: p.forwardTo ? { reason: p.reason, forwardTo: p.forwardTo } : { reason: p.reason } };
    }
    case InformationRequested.type: {
      const p = payloadOf(InformationRequested, event);
      return { ...state, requests: [...state.requests, { requestId: p.requestId, question: p.question, requestedAt: event.occurredAt, answers: [] }] };
    }
    case InformationReceived.type: {
      const p = payloadOf(InformationReceived, event);
      const requests = state.requests.map((r) =>
        r.requestId === p.requestId ? { ...r, answers: [...r.answers, { answer: p.answer, receivedAt: event.occurredAt }] } : r,
      );
      return { ...state, requests };
    }
    case ReferralEscalated.type:
      return { ...state, escalation: { escalatedAt: event.occurredAt, overdueMinutes: payloadOf(ReferralEscalated, event).overdueMinutes } };
    default:
      return state;
  }
}

/** Accepting, rejecting or asking the submitter is a response: it acknowledges an unacknowledged referral. */
function implicitAcknowledgment(state: ReferralState, referral: ReceivedReferral, at: string): EventDraft[] {
  if (state.status !== 'RECEIVED') return [];
  return [acknowledgment(referral, at)];
}

function acknowledgment(referral: ReceivedReferral, at: string): EventDraft {
  return draft(ReferralAcknowledged, {
    referralId: referral.referralId,
    clueId: referral.clueId,
    acknowledgeBy: referral.acknowledgeBy,
    late: isAfter(at, referral.acknowledgeBy),
  });
}

/** Acceptance and rejection are final: one decision per referral. */
function assertUndecided(state: ReferralState): void {
  if (state.status === 'ACCEPTED') throw new RuleViolation('ALREADY_ACCEPTED', `the referral was already accepted into case ${state.caseId}`);
  if (state.status === 'REJECTED') throw new RuleViolation('ALREADY_REJECTED', 'the referral was already rejected');
}

function mustExist(state: ReferralState): ReceivedReferral {
  if (!state.referral) throw new RuleViolation('REFERRAL_NOT_RECEIVED', 'the referral has not been received');
  return state.referral;
}

function decide(command: ReferralCommand, state: ReferralState): EventDraft[] {
  if (command.type === 'ReceiveReferral') {
    // a second hand-off of the same referral changes nothing
    return state.referral ? [] : [draft(ReferralReceived, command.referral)];
  }
  const referral = mustExist(state);
  const ids = { referralId: referral.referralId, clueId: referral.clueId };
  switch (command.type) {
    case 'AcknowledgeReferral':
      if (state.status !== 'RECEIVED') throw new RuleViolation('ALREADY_ACKNOWLEDGED', 'the referral was already acknowledged');
      return [acknowledgment(referral, command.at)];
    case 'AcceptReferral':
      assertUndecided(state);
      return [...implicitAcknowledgment(state, referral, command.at), draft(ReferralAccepted, { ...ids, caseId: command.caseId, mode: command.mode })];
    case 'RejectReferral':
      assertUndecided(state);
      return [
        ...implicitAcknowledgment(state, referral, command.at),
        draft(ReferralRejected, { ...ids, reason: command.reason, ...(command.forwardTo ? { forwardTo: command.forwardTo } : {}) }),
      ];
    case 'RequestInformation':
      if (state.status === 'REJECTED') throw new RuleViolation('ALREADY_REJECTED', 'the referral was rejected: there is nothing to ask about');
      return [
        ...implicitAcknowledgment(state, referral, command.at),
        draft(InformationRequested, { ...ids, requestId: command.requestId, handoff: command.handoff, question: command.question }),
      ];
    case 'ReceiveInformation':
      if (!state.requests.some((r) => r.requestId === command.requestId)) {
        throw new RuleViolation('UNKNOWN_INFORMATION_REQUEST', `no information request ${command.requestId} on this referral`, 422);
      }
      return [draft(InformationReceived, { ...ids, requestId: command.requestId, answer: command.answer })];
    case 'EscalateReferral':
      // once only, and only while nobody has acknowledged it: the watcher may run any number of times
      if (state.status !== 'RECEIVED' || state.escalation || !isAfter(command.at, referral.acknowledgeBy)) return [];
      return [
        draft(ReferralEscalated, {
          ...ids,
          handoff: command.handoff,
          priority: referral.priority,
          acknowledgeBy: referral.acknowledgeBy,
          overdueMinutes: minutesBetween(referral.acknowledgeBy, command.at),
        }),
      ];
  }
}

export const referralDecider: Decider<ReferralState, ReferralCommand> = { initialState, evolve, decide };

/** Unacknowledged past its deadline at `now`. */
export function isOverdue(state: Pick<ReferralState, 'status' | 'referral'>, now: Date): boolean {
  return state.status === 'RECEIVED' && !!state.referral && Date.parse(state.referral.acknowledgeBy) < now.getTime();
}
