import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HANDOFF_CONCURRENCY, MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { AssessmentRequested, assessmentStream, readEvent, type StoredEvent } from '@atr/contracts';
import { CommandRunner, systemActor } from '@atr/platform';
import { assessmentDecider } from './assessment.decider';

export const ASSESSMENT_REQUESTS_GROUP = 'assessment:requests';

/** Receives civil affairs' assessment requests and opens one assessment each (idempotent). */
@Injectable()
export class AssessmentRequestsConsumer implements OnModuleInit {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly runner: CommandRunner,
  ) {}

  onModuleInit(): void {
    this.bus.consume({ group: ASSESSMENT_REQUESTS_GROUP, types: [AssessmentRequested.type], concurrency: HANDOFF_CONCURRENCY }, (event) => this.handle(event));
  }

  async handle(stored: StoredEvent): Promise<void> {
    const { payload: p } = readEvent(AssessmentRequested, stored);
    const opened = {
      assessmentId: p.assessmentId,
      placementId: p.placementId,
      kind: p.kind,
      handoff: p.handoff,
      victim: p.victim,
      ...(p.question ? { question: p.question } : {}),
    };
    await this.runner.react(
      assessmentStream(p.assessmentId),
      assessmentDecider,
      { type: 'OpenAssessment', opened },
      stored,
      systemActor(p.handoff.to, 'assessment'),
      ASSESSMENT_REQUESTS_GROUP,
    );
  }
}
