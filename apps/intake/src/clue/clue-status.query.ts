import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { clueStream, covers, type Actor, type AsOfFields, type AsOfQuery, type ClueStatusView, type DomainEvent } from '@atr/contracts';
import { asOfFields, CommandRunner, NotFound } from '@atr/platform';
import { clueDecider } from './clue.decider';
import { openRequests, statusOf, type ClueState } from './clue.state';
import { timelineEntry } from './timeline';

export class GetClueStatus extends Query<ClueStatusView & AsOfFields> {
  constructor(
    readonly clueId: string,
    readonly actor: Actor,
    /** The clue as it was at this point of the log (absent: now). */
    readonly at?: AsOfQuery,
  ) {
    super();
  }
}

/** Auditors of the joint-conference office and the procuratorate read the clues of the places they cover. */
const AUDITING_KINDS: readonly Actor['agencyKind'][] = ['JOINT_CONFERENCE_OFFICE', 'PROCURATORATE'];

export function maySeeClue(actor: Actor, state: ClueState): boolean {
  const submitted = state.submitted;
  if (!submitted) return false;
  if (submitted.submittedBy.agencyId === actor.agencyId) return true;
  return actor.role === 'AUDITOR' && AUDITING_KINDS.includes(actor.agencyKind) && covers(actor.jurisdiction, submitted.location.divisionCode);
}

/**
 * Folded from the clue's own stream, the source of truth for feedback (not from a read model):
 * now, or as it was at a point of the log (checked on the clue now and then).
 */
@QueryHandler(GetClueStatus)
export class GetClueStatusHandler implements IQueryHandler<GetClueStatus, ClueStatusView & AsOfFields> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ clueId, actor, at }: GetClueStatus): Promise<ClueStatusView & AsOfFields> {
    const read = await this.runner.loadForReader(clueStream(clueId), clueDecider, at, (state) => maySeeClue(actor, state));
    // 404 rather than 403: whether a clue exists is itself need-to-know.
    if (!read) throw new NotFound('clue', clueId);
    return { ...viewOf(read.state, read.history), ...(read.past && at ? asOfFields(at, read.past) : {}) };
  }
}

export function viewOf(state: ClueState, history: readonly DomainEvent[]): ClueStatusView {
  const submitted = state.submitted!;
  const { triage } = state;
  return {
    clueId: submitted.clueId,
    source: submitted.source,
    status: statusOf(state),
    category: triage?.category ?? null,
    priority: triage?.priority ?? null,
    acknowledgeBy: triage?.acknowledgeBy ?? null,
    routedTo: triage?.routedTo ?? null,
    summary: submitted.summary,
    referralId: state.referral?.referralId ?? state.duplicate?.referralId ?? null,
    ...(state.duplicate ? { duplicateOf: state.duplicate.of } : {}),
    ...(state.caseId ? { caseId: state.caseId } : {}),
    ...(state.rejectionReason ? { rejectionReason: state.rejectionReason } : {}),
    openQuestions: openRequests(state),
    timeline: history.map(timelineEntry),
  };
}
