import { Injectable } from '@nestjs/common';
import { covers, referralStream, type Actor, type AsOfQuery } from '@atr/contracts';
import { auditorCovers, CommandRunner, NotFound, type RecordRead } from '@atr/platform';
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

  /**
   * For reads, now or as it was at `at`: police covering the receiving unit, or auditors (joint-
   * conference office, procuratorate) covering it. A past read is checked on the referral now and then.
   */
  async read(referralId: string, actor: Actor, at?: AsOfQuery): Promise<RecordRead<ReferralState> & { referral: ReceivedReferral }> {
    const mayRead = ({ referral }: ReferralState) => {
      if (!referral) return false;
      const to = referral.handoff.to.jurisdiction;
      return actor.agencyKind === 'PUBLIC_SECURITY' ? covers(actor.jurisdiction, to) : auditorCovers(actor, to);
    };
    const read = await this.runner.loadForReader(referralStream(referralId), referralDecider, at, mayRead);
    if (!read) throw new NotFound('referral', referralId);
    return { ...read, referral: read.state.referral! };
  }
}
