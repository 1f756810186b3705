import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { caseStream, deterministicId, referralStream, type AcceptReferralBody, type AcceptReferralResponse, type Actor } from '@atr/contracts';
import { AGENCY_DIRECTORY, CLOCK, CommandRunner, type AgencyDirectory, type Clock } from '@atr/platform';
import { caseDecider, type CaseCommand } from '../case/case.decider';
import { CaseRepository } from '../case/case.repository';
import { policeRoleOf } from '../shared/parties';
import { referralDecider, type ReceivedReferral } from './referral.decider';
import { ReferralRepository } from './referral.repository';

export class AcceptReferral extends Command<AcceptReferralResponse> {
  constructor(
    readonly referralId: string,
    readonly body: AcceptReferralBody,
    readonly actor: Actor,
    readonly requestId: string,
  ) {
    super();
  }
}

/** A case about a child: the task force rule (一长三包) applies. */
export const isChildCase = (r: ReceivedReferral): boolean => r.category === 'CHILD_TRAFFICKING' || !!r.child || r.childMissing || r.childInDanger;

/**
 * Accepting writes two streams: the case first, then the referral. The opened case's id is
 * derived from the referral and opening it again is a no-op, so a retry after a failure
 * between the two appends finds the same case instead of opening a second one.
 */
@CommandHandler(AcceptReferral)
export class AcceptReferralHandler implements ICommandHandler<AcceptReferral> {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly cases: CaseRepository,
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  async execute({ referralId, body, actor, requestId }: AcceptReferral): Promise<AcceptReferralResponse> {
    const { state, referral, lastEventId } = await this.referrals.loadVisible(referralId, actor);
    const at = this.clock.now().toISOString();
    const mode = body.caseId ? ('ATTACHED_TO_CASE' as const) : ('OPENED_CASE' as const);
    const caseId = body.caseId ?? deterministicId('case', referralId);
    // refuse (ALREADY_ACCEPTED, ALREADY_REJECTED) before the case is touched
    referralDecider.decide({ type: 'AcceptReferral', caseId, mode, at }, state);

    const meta = { actor, correlationId: referral.clueId, causationId: lastEventId };
    if (body.caseId) {
      await this.cases.loadVisible(body.caseId, actor);
      await this.runner.run(caseStream(caseId), caseDecider, { type: 'AttachClue', referralId, clueId: referral.clueId }, meta);
    } else {
      await this.runner.run(caseStream(caseId), caseDecider, this.openCase(caseId, referral, body, actor), meta);
    }
    await this.runner.run(referralStream(referralId), referralDecider, { type: 'AcceptReferral', caseId, mode, at }, { actor, requestId });
    return { referralId, caseId, mode };
  }

  private openCase(caseId: string, referral: ReceivedReferral, body: AcceptReferralBody, actor: Actor): CaseCommand {
    const jurisdiction = referral.handoff.to.jurisdiction;
    // default leader: the caller, when they lead task forces
    const chosen = body.taskForceLeader ?? (actor.role === 'CASE_LEADER' ? { userId: actor.userId } : undefined);
    return {
      type: 'OpenCase',
      caseId,
      referralId: referral.referralId,
      clueId: referral.clueId,
      category: referral.category,
      childCase: isChildCase(referral),
      jurisdiction,
      agencyId: actor.agencyId,
      title: body.title ?? (referral.summary.slice(0, 200) || referral.category),
      ...(chosen ? { leader: { ...chosen, role: policeRoleOf(this.directory, chosen.userId, jurisdiction) } } : {}),
    };
  }
}
