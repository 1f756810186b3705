import {
  AdditionalInformationProvided,
  ClueLinkedAsDuplicate,
  ClueOutcomeRecorded,
  ClueReferred,
  ClueSubmitted,
  ClueTriaged,
  type DomainEvent,
  type PayloadOf,
} from '@atr/contracts';

type Entry = { at: string; event: string; summary: string };

/** One line of the clue's history, in words the submitting agency understands. */
export function timelineEntry(event: DomainEvent): Entry {
  return { at: event.occurredAt, event: event.type, summary: describe(event) };
}

function describe(event: DomainEvent): string {
  switch (event.type) {
    case ClueSubmitted.type: {
      const p = event.payload as PayloadOf<typeof ClueSubmitted>;
      return `submitted by ${p.submittedBy.agencyId} (${p.source})`;
    }
    case ClueTriaged.type: {
      const p = event.payload as PayloadOf<typeof ClueTriaged>;
      const to = p.routedTo.agencyId ?? `the city queue ${p.routedTo.jurisdiction}`;
      return `triaged ${p.priority} ${p.category}; routed to ${to} (${p.routedTo.jurisdiction}, ${p.routedTo.queue})`;
    }
    case ClueReferred.type: {
      const p = event.payload as PayloadOf<typeof ClueReferred>;
      return `referred to ${p.handoff.to.agencyId ?? `the police queue ${p.handoff.to.jurisdiction}`}; acknowledge by ${p.acknowledgeBy}`;
    }
    case ClueLinkedAsDuplicate.type: {
      const p = event.payload as PayloadOf<typeof ClueLinkedAsDuplicate>;
      return `linked as a duplicate of clue ${p.duplicateOf} (same ${p.matchedOn.join(', ')})`;
    }
    case ClueOutcomeRecorded.type:
      return outcome(event.payload as PayloadOf<typeof ClueOutcomeRecorded>);
    case AdditionalInformationProvided.type:
      return `answered information request ${(event.payload as PayloadOf<typeof AdditionalInformationProvided>).requestId}`;
    default:
      return event.type;
  }
}

function outcome(p: PayloadOf<typeof ClueOutcomeRecorded>): string {
  switch (p.outcome) {
    case 'ACKNOWLEDGED':
      return 'police acknowledged the referral';
    case 'ACCEPTED':
      return `police accepted the referral${p.caseId ? ` (case ${p.caseId})` : ''}`;
    case 'REJECTED':
      return `police rejected the referral${p.reason ? `: ${p.reason}` : ''}`;
    case 'INFORMATION_REQUESTED':
      return `police asked for more information: ${p.question ?? ''}`;
    case 'ESCALATED':
      return 'acknowledgment overdue: escalated to the joint-conference office';
  }
}
