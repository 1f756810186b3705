import {
  AdditionalInformationProvided,
  ClueLinkedAsDuplicate,
  ClueOutcomeRecorded,
  ClueReferred,
  ClueSubmitted,
  ClueTriaged,
  type ClueStatus,
  type DomainEvent,
  type Party,
  type PayloadOf,
} from '@atr/contracts';

type Submitted = PayloadOf<typeof ClueSubmitted>;
type Triaged = PayloadOf<typeof ClueTriaged>;
type Outcome = PayloadOf<typeof ClueOutcomeRecorded>['outcome'];

/** Where the referral got to, ignoring open questions (status shows those on top). */
export type Progress = Exclude<ClueStatus, 'INFORMATION_REQUESTED'>;

export interface InformationRequest {
  question: string;
  /** The police party that asked (absent on events recorded before `by` existed). */
  by?: Party;
  /** The event that recorded the question: the cause of the answer. */
  recordedBy: string;
  answered: boolean;
}

export interface ClueState {
  submitted?: Submitted & { at: string; eventId: string };
  triage?: Triaged & { acknowledgeBy: string };
  referral?: { referralId: string; police: Party };
  duplicate?: { of: string; referralId: string | null };
  progress: Progress;
  caseId?: string;
  rejectionReason?: string;
  requests: Record<string, InformationRequest>;
}

export const initialClueState = (): ClueState => ({ progress: 'RECEIVED', requests: {} });

export const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

// Feedback can arrive out of order (a late acknowledgment after an escalation, an escalation
// racing an acceptance): the progress only moves forward, so the submitter sees the furthest step.
export const progressRank: Record<Progress, number> = { RECEIVED: 0, REFERRED: 1, DUPLICATE: 1, ESCALATED: 2, ACKNOWLEDGED: 3, ACCEPTED: 4, REJECTED: 4 };
export const advance = (from: Progress, to: Progress): Progress => (progressRank[to] >= progressRank[from] ? to : from);

export function evolveClue(state: ClueState, event: DomainEvent): ClueState {
  switch (event.type) {
    // Object.assign, not a spread, copies the payloads: every submission folds these two events
    // to answer, and a spread of a parsed payload took 3 µs on Node 20 against 0.5
    case ClueSubmitted.type:
      return { ...state, submitted: Object.assign({}, event.payload as Submitted, { at: event.occurredAt, eventId: event.eventId }) };
    case ClueTriaged.type: {
      const triage = event.payload as Triaged;
      const acknowledgeBy = addMinutes(state.submitted?.at ?? event.occurredAt, triage.acknowledgeWithinMinutes);
      return { ...state, triage: Object.assign({}, triage, { acknowledgeBy }) };
    }
    case ClueReferred.type: {
      const p = event.payload as PayloadOf<typeof ClueReferred>;
      return { ...state, referral: { referralId: p.referralId, police: p.handoff.to }, progress: 'REFERRED' };
    }
    case ClueLinkedAsDuplicate.type: {
      const p = event.payload as PayloadOf<typeof ClueLinkedAsDuplicate>;
      return { ...state, duplicate: { of: p.duplicateOf, referralId: p.referralId }, progress: 'DUPLICATE' };
    }
    case ClueOutcomeRecorded.type:
      return recordOutcome(state, event as DomainEvent<string, PayloadOf<typeof ClueOutcomeRecorded>>);
    case AdditionalInformationProvided.type: {
      const { requestId } = event.payload as PayloadOf<typeof AdditionalInformationProvided>;
      const request = state.requests[requestId];
      return request ? { ...state, requests: { ...state.requests, [requestId]: { ...request, answered: true } } } : state;
    }
    default:
      return state;
  }
}

function recordOutcome(state: ClueState, event: DomainEvent<string, PayloadOf<typeof ClueOutcomeRecorded>>): ClueState {
  const p = event.payload;
  if (p.outcome === 'INFORMATION_REQUESTED') {
    if (!p.requestId) return state;
    const request: InformationRequest = { question: p.question ?? '', by: p.by, recordedBy: event.eventId, answered: false };
    return { ...state, requests: { ...state.requests, [p.requestId]: request } };
  }
  const progress = advance(state.progress, p.outcome as Exclude<Outcome, 'INFORMATION_REQUESTED'>);
  return {
    ...state,
    progress,
    ...(p.caseId ? { caseId: p.caseId } : {}),
    ...(p.outcome === 'REJECTED' && p.reason ? { rejectionReason: p.reason } : {}),
  };
}

export const openRequests = (state: ClueState) =>
  Object.entries(state.requests)
    .filter(([, r]) => !r.answered)
    .map(([requestId, r]) => ({ requestId, question: r.question }));

/** The status the submitter sees: an open police question comes first. */
export function statusOf(state: ClueState): ClueStatus {
  return openRequests(state).length > 0 ? 'INFORMATION_REQUESTED' : state.progress;
}
