import {
  AdditionalInformationProvided,
  ClueLinkedAsDuplicate,
  ClueOutcomeRecorded,
  ClueReferred,
  ClueSubmitted,
  ClueTriaged,
  deterministicId,
  type Party,
  type PayloadOf,
  type RoutedTo,
} from '@atr/contracts';
import { draft, RuleViolation, type Decider, type EventDraft } from '@atr/platform';
import type { Triage } from '../triage/triage';
import { evolveClue, initialClueState, type ClueState } from './clue.state';

type SubmittedPayload = PayloadOf<typeof ClueSubmitted>;
type OutcomePayload = PayloadOf<typeof ClueOutcomeRecorded>;

export type ClueCommand =
  | ({ type: 'SubmitClue'; triage: Triage; routedTo: RoutedTo } & SubmittedPayload)
  /** From the referral router: refer to police, or link to an earlier clue when `duplicate` is given. */
  | { type: 'RouteClue'; duplicate?: { of: string; matchedOn: string[]; referralId: string | null } }
  | ({ type: 'RecordOutcome' } & Omit<OutcomePayload, 'clueId'>)
  | { type: 'ProvideInformation'; requestId: string; answer: string; from: Party };

/** The referral of a clue is one per clue and jurisdiction: its id is derived, never random. */
export const referralIdOf = (clueId: string, jurisdiction: string) => deterministicId('referral', clueId, jurisdiction);

export const policeParty = (routedTo: RoutedTo): Party => ({
  agencyId: routedTo.agencyId,
  agencyKind: 'PUBLIC_SECURITY',
  jurisdiction: routedTo.jurisdiction,
});

export const clueDecider: Decider<ClueState, ClueCommand> = {
  initialState: initialClueState,
  evolve: evolveClue,
  decide(command, state) {
    switch (command.type) {
      case 'SubmitClue':
        return submit(command, state);
      case 'RouteClue':
        return routeClue(command, state);
      case 'RecordOutcome':
        return recordOutcome(command, state);
      case 'ProvideInformation':
        return provideInformation(command, state);
    }
  },
};

function submit(command: Extract<ClueCommand, { type: 'SubmitClue' }>, state: ClueState): EventDraft[] {
  const { type: _type, triage, routedTo, ...submitted } = command;
  void _type;
  if (state.submitted) {
    // A retry under the same key: the same body is answered from the stream, appending nothing.
    if (state.submitted.requestHash === command.requestHash) return [];
    throw new RuleViolation(
      'IDEMPOTENCY_KEY_REUSED',
      `idempotency key ${command.idempotencyKey} was used for a different submission (clue ${state.submitted.clueId})`,
      422,
    );
  }
  return [
    draft(ClueSubmitted, submitted),
    draft(ClueTriaged, {
      clueId: command.clueId,
      category: triage.category,
      priority: triage.priority,
      reasons: triage.reasons,
      acknowledgeWithinMinutes: triage.acknowledgeWithinMinutes,
      routedTo,
      fingerprints: triage.fingerprints,
    }),
  ];
}

function routeClue(command: Extract<ClueCommand, { type: 'RouteClue' }>, state: ClueState): EventDraft[] {
  const { submitted, triage } = state;
  if (!submitted || !triage) throw new RuleViolation('CLUE_NOT_TRIAGED', 'only a submitted and triaged clue can be routed');
  if (state.referral || state.duplicate) throw new RuleViolation('CLUE_ALREADY_ROUTED', `clue ${submitted.clueId} was referred or linked already`);
  if (command.duplicate) {
    if (command.duplicate.of === submitted.clueId) throw new RuleViolation('DUPLICATE_OF_ITSELF', 'a clue cannot duplicate itself', 422);
    return [
      draft(ClueLinkedAsDuplicate, {
        clueId: submitted.clueId,
        duplicateOf: command.duplicate.of,
        matchedOn: command.duplicate.matchedOn,
        referralId: command.duplicate.referralId,
      }),
    ];
  }
  const urgency = triage.reasons.join('; ');
  return [
    draft(ClueReferred, {
      clueId: submitted.clueId,
      referralId: referralIdOf(submitted.clueId, triage.routedTo.jurisdiction),
      handoff: {
        from: submitted.submittedBy,
        to: policeParty(triage.routedTo),
        reason: `${triage.priority} ${triage.category} clue${urgency ? `: ${urgency}` : ''}`,
      },
      category: triage.category,
      priority: triage.priority,
      acknowledgeBy: triage.acknowledgeBy,
      source: submitted.source,
      summary: submitted.summary,
      location: submitted.location,
      ...(submitted.child ? { child: submitted.child } : {}),
      childMissing: submitted.childMissing,
      childInDanger: submitted.childInDanger,
      details: submitted.details,
    }),
  ];
}

function recordOutcome(command: Extract<ClueCommand, { type: 'RecordOutcome' }>, state: ClueState): EventDraft[] {
  const { type: _type, ...outcome } = command;
  void _type;
  if (!state.submitted || !state.referral) throw new RuleViolation('CLUE_NOT_REFERRED', 'police feedback needs a referred clue');
  if (state.referral.referralId !== command.referralId) {
    throw new RuleViolation('UNKNOWN_REFERRAL', `referral ${command.referralId} is not the referral of clue ${state.submitted.clueId}`);
  }
  if (command.outcome === 'INFORMATION_REQUESTED' && (!command.requestId || command.question === undefined)) {
    throw new RuleViolation('INFORMATION_REQUEST_INCOMPLETE', 'an information request needs a requestId and a question', 422);
  }
  return [draft(ClueOutcomeRecorded, { clueId: state.submitted.clueId, ...outcome })];
}

function provideInformation(command: Extract<ClueCommand, { type: 'ProvideInformation' }>, state: ClueState): EventDraft[] {
  const request = state.requests[command.requestId];
  if (!state.submitted || !state.referral || !request) {
    throw new RuleViolation('INFORMATION_REQUEST_NOT_FOUND', `no information request ${command.requestId} on this clue`);
  }
  if (request.answered) throw new RuleViolation('INFORMATION_REQUEST_ALREADY_ANSWERED', `request ${command.requestId} was answered already`);
  return [
    draft(AdditionalInformationProvided, {
      clueId: state.submitted.clueId,
      referralId: state.referral.referralId,
      requestId: command.requestId,
      handoff: {
        from: command.from,
        to: request.by ?? state.referral.police,
        reason: `answer to information request ${command.requestId}`,
      },
      answer: command.answer,
    }),
  ];
}
