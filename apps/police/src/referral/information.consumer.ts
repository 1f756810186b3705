import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HANDOFF_CONCURRENCY, MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { AdditionalInformationProvided, readEvent, referralStream, type StoredEvent } from '@atr/contracts';
import { CommandRunner, RuleViolation, systemActor } from '@atr/platform';
import { referralDecider } from './referral.decider';

export const INFORMATION_GROUP = 'police:information';

/** Brings the submitting agency's answer (relayed by intake) onto the referral. */
@Injectable()
export class InformationConsumer implements OnModuleInit {
  private readonly logger = new Logger(InformationConsumer.name);

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly runner: CommandRunner,
  ) {}

  onModuleInit(): void {
    this.bus.consume({ group: INFORMATION_GROUP, types: [AdditionalInformationProvided.type], concurrency: HANDOFF_CONCURRENCY }, (event) => this.handle(event));
  }

  async handle(event: StoredEvent): Promise<void> {
    const p = readEvent(AdditionalInformationProvided, event).payload;
    try {
      await this.runner.react(
        referralStream(p.referralId),
        referralDecider,
        { type: 'ReceiveInformation', requestId: p.requestId, answer: p.answer },
        event,
        systemActor(p.handoff.to, 'police'),
        INFORMATION_GROUP,
      );
    } catch (error) {
      // an answer to a request this referral never made can never succeed: retrying would only dead-letter it
      if (!(error instanceof RuleViolation)) throw error;
      this.logger.warn(`ignored ${event.type} ${event.eventId}: ${error.rule} (${error.message})`);
    }
  }
}
