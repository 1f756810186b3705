import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HANDOFF_CONCURRENCY, MESSAGE_BUS, type MessageBus } from '@atr/bus';
import {
  clueStream,
  InformationRequested,
  readAnyEvent,
  ReferralAccepted,
  ReferralAcknowledged,
  ReferralEscalated,
  ReferralRejected,
  type DomainEvent,
  type Party,
  type PayloadOf,
  type StoredEvent,
} from '@atr/contracts';
import { CommandRunner, partyOf, systemActor } from '@atr/platform';
import { clueDecider, type ClueCommand } from '../clue/clue.decider';

export const FEEDBACK = 'intake:feedback';

/** Feedback 反馈: what police did with a referral is recorded on the clue for its submitter. */
@Injectable()
export class FeedbackConsumer implements OnModuleInit {
  private readonly logger = new Logger(FEEDBACK);

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly runner: CommandRunner,
  ) {}

  onModuleInit(): void {
    const types = [ReferralAcknowledged, ReferralAccepted, ReferralRejected, InformationRequested, ReferralEscalated].map((d) => d.type);
    this.bus.consume({ group: FEEDBACK, types, concurrency: HANDOFF_CONCURRENCY }, (event) => this.handle(event));
  }

  async handle(stored: StoredEvent): Promise<void> {
    const event = readAnyEvent(stored);
    const { clueId, referralId } = event.payload as { clueId: string; referralId: string };
    const stream = clueStream(clueId);
    const { state } = await this.runner.load(stream, clueDecider);
    if (!state.submitted || state.referral?.referralId !== referralId) {
      // not a referral intake made (nothing to give feedback on): retrying would not change that
      this.logger.warn({ eventId: stored.eventId, type: stored.type, clueId, referralId }, 'feedback for an unknown referral ignored');
      return;
    }
    const actor = systemActor(state.submitted.submittedBy, 'intake');
    await this.runner.react(stream, clueDecider, outcomeOf(event), stored, actor, FEEDBACK);
  }
}

export function outcomeOf(event: DomainEvent): Extract<ClueCommand, { type: 'RecordOutcome' }> {
  const p = event.payload as { referralId: string; handoff?: { from: Party } };
  const base = { type: 'RecordOutcome' as const, referralId: p.referralId, by: p.handoff?.from ?? partyOf(event.actor) };
  switch (event.type) {
    case ReferralAcknowledged.type:
      return { ...base, outcome: 'ACKNOWLEDGED' };
    case ReferralAccepted.type:
      return { ...base, outcome: 'ACCEPTED', caseId: (event.payload as PayloadOf<typeof ReferralAccepted>).caseId };
    case ReferralRejected.type:
      return { ...base, outcome: 'REJECTED', reason: (event.payload as PayloadOf<typeof ReferralRejected>).reason };
    case InformationRequested.type: {
      const { requestId, question } = event.payload as PayloadOf<typeof InformationRequested>;
      return { ...base, outcome: 'INFORMATION_REQUESTED', requestId, question };
    }
    case ReferralEscalated.type:
      return { ...base, outcome: 'ESCALATED' };
    default:
      throw new Error(`no feedback for ${event.type}`);
  }
}
