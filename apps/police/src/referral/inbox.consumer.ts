import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HANDOFF_CONCURRENCY, MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { ClueReferred, readEvent, referralStream, type StoredEvent } from '@atr/contracts';
import { CommandRunner, systemActor } from '@atr/platform';
import { referralDecider } from './referral.decider';

export const INBOX_GROUP = 'police:inbox';

/** Receives intake's hand-off (移送) into the inbox of the police unit it names. */
@Injectable()
export class InboxConsumer implements OnModuleInit {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly runner: CommandRunner,
  ) {}

  onModuleInit(): void {
    this.bus.consume({ group: INBOX_GROUP, types: [ClueReferred.type], concurrency: HANDOFF_CONCURRENCY }, (event) => this.handle(event));
  }

  /** Idempotent: a redelivered ClueReferred is recognised as a cause already recorded. */
  async handle(event: StoredEvent): Promise<void> {
    const p = readEvent(ClueReferred, event).payload;
    const referral = {
      referralId: p.referralId,
      clueId: p.clueId,
      handoff: p.handoff,
      category: p.category,
      priority: p.priority,
      acknowledgeBy: p.acknowledgeBy,
      source: p.source,
      summary: p.summary,
      location: p.location,
      ...(p.child ? { child: p.child } : {}),
      childMissing: p.childMissing,
      childInDanger: p.childInDanger,
      details: p.details,
    };
    await this.runner.react(
      referralStream(p.referralId),
      referralDecider,
      { type: 'ReceiveReferral', referral },
      event,
      systemActor(p.handoff.to, 'police'),
      INBOX_GROUP,
    );
  }
}
