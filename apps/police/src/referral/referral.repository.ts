import { Injectable } from '@nestjs/common';
import { covers, referralStream, type Actor } from '@atr/contracts';
import { CommandRunner, NotFound } from '@atr/platform';
import { referralDecider, type ReceivedReferral, type ReferralState } from './referral.decider';

/** Loads a referral from its stream, as far as the caller's jurisdiction lets them see it. */
@Injectable()
export class ReferralRepository {
  constructor(private readonly runner: CommandRunner) {}

  /** 404, not 403, outside the caller's jurisdiction: existence does not leak across units. */
  async loadVisible(referralId: string, actor: Actor): Promise<{ state: ReferralState; referral: ReceivedReferral; lastEventId: string }> {
    const { state, history } = await this.runner.load(referralStream(referralId), referralDecider);
    const referral = state.referral;
    if (!referral || !covers(actor.jurisdiction, referral.handoff.to.jurisdiction)) throw new NotFound('referral', referralId);
    return { state, referral, lastEventId: history[history.length - 1].eventId };
  }
}
