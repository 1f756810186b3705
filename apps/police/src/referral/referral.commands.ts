import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { newId, referralStream, type Actor, type RejectReferralBody } from '@atr/contracts';
import { CLOCK, CommandRunner, partyOf, type Clock } from '@atr/platform';
import { referralDecider } from './referral.decider';
import { ReferralRepository } from './referral.repository';

export class AcknowledgeReferral extends Command<{ referralId: string; acknowledgedAt: string; acknowledgeBy: string; late: boolean }> {
  constructor(
    readonly referralId: string,
    readonly actor: Actor,
    readonly requestId: string,
  ) {
    super();
  }
}

export class RejectReferral extends Command<{ referralId: string; status: 'REJECTED' }> {
  constructor(
    readonly referralId: string,
    readonly body: RejectReferralBody,
    readonly actor: Actor,
    readonly requestId: string,
  ) {
    super();
  }
}

export class RequestInformation extends Command<{ requestId: string }> {
  constructor(
    readonly referralId: string,
    readonly question: string,
    readonly actor: Actor,
    readonly requestId: string,
  ) {
    super();
  }
}

@CommandHandler(AcknowledgeReferral)
export class AcknowledgeReferralHandler implements ICommandHandler<AcknowledgeReferral> {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ referralId, actor, requestId }: AcknowledgeReferral) {
    const { referral } = await this.referrals.loadVisible(referralId, actor);
    const at = this.clock.now().toISOString();
    const { state } = await this.runner.run(referralStream(referralId), referralDecider, { type: 'AcknowledgeReferral', at }, { actor, requestId });
    return { referralId, acknowledgedAt: state.acknowledgedAt ?? at, acknowledgeBy: referral.acknowledgeBy, late: state.late ?? false };
  }
}

@CommandHandler(RejectReferral)
export class RejectReferralHandler implements ICommandHandler<RejectReferral> {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ referralId, body, actor, requestId }: RejectReferral) {
    await this.referrals.loadVisible(referralId, actor);
    const command = { type: 'RejectReferral' as const, reason: body.reason, forwardTo: body.forwardTo, at: this.clock.now().toISOString() };
    await this.runner.run(referralStream(referralId), referralDecider, command, { actor, requestId });
    return { referralId, status: 'REJECTED' as const };
  }
}

@CommandHandler(RequestInformation)
export class RequestInformationHandler implements ICommandHandler<RequestInformation> {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ referralId, question, actor, requestId }: RequestInformation) {
    const { referral } = await this.referrals.loadVisible(referralId, actor);
    const id = newId();
    // the question travels back to whoever submitted the clue
    const handoff = { from: partyOf(actor), to: referral.handoff.from, reason: 'police request more information on the referred clue' };
    const command = { type: 'RequestInformation' as const, requestId: id, question, handoff, at: this.clock.now().toISOString() };
    await this.runner.run(referralStream(referralId), referralDecider, command, { actor, requestId });
    return { requestId: id };
  }
}
