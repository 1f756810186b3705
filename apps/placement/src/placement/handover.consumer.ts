import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HANDOFF_CONCURRENCY, MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { VictimHandedOver, placementStream, readEvent, type StoredEvent } from '@atr/contracts';
import { CommandRunner, systemActor } from '@atr/platform';
import { placementDecider } from './placement.decider';

export const HANDOVER_GROUP = 'placement:handover';

/** Receives police's hand-over of a rescued victim and opens the victim file (at least once → idempotent). */
@Injectable()
export class HandoverConsumer implements OnModuleInit {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly runner: CommandRunner,
  ) {}

  onModuleInit(): void {
    this.bus.consume({ group: HANDOVER_GROUP, types: [VictimHandedOver.type], concurrency: HANDOFF_CONCURRENCY }, (event) => this.handle(event));
  }

  async handle(stored: StoredEvent): Promise<void> {
    const { payload: p } = readEvent(VictimHandedOver, stored);
    if (p.handoff.to.agencyKind !== 'CIVIL_AFFAIRS') return; // a hand-over to someone else is not ours to open
    const opened = { placementId: p.placementId, caseId: p.caseId, handoff: p.handoff, victim: p.victim, buyerFamilies: p.buyerFamilies };
    await this.runner.react(
      placementStream(p.placementId),
      placementDecider,
      { type: 'OpenPlacement', opened },
      stored,
      systemActor(p.handoff.to, 'placement'),
      HANDOVER_GROUP,
    );
  }
}
