import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HANDOFF_CONCURRENCY, MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { AssessmentCompleted, placementStream, readEvent, type StoredEvent } from '@atr/contracts';
import { CommandRunner, systemActor } from '@atr/platform';
import { placementDecider } from './placement.decider';

export const ASSESSMENT_RESULTS_GROUP = 'placement:assessment-results';

/** Brings a completed assessment's outcome back into the victim file. */
@Injectable()
export class AssessmentResultsConsumer implements OnModuleInit {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly runner: CommandRunner,
  ) {}

  onModuleInit(): void {
    this.bus.consume({ group: ASSESSMENT_RESULTS_GROUP, types: [AssessmentCompleted.type], concurrency: HANDOFF_CONCURRENCY }, (event) => this.handle(event));
  }

  async handle(stored: StoredEvent): Promise<void> {
    const { payload: p } = readEvent(AssessmentCompleted, stored);
    const result = {
      placementId: p.placementId,
      assessmentId: p.assessmentId,
      kind: p.kind,
      outcome: p.outcome,
      recommendations: p.recommendations,
      ...(p.disabilityGrade ? { disabilityGrade: p.disabilityGrade } : {}),
    };
    await this.runner.react(
      placementStream(p.placementId),
      placementDecider,
      { type: 'RecordAssessmentResult', result },
      stored,
      systemActor(p.handoff.to, 'placement'),
      ASSESSMENT_RESULTS_GROUP,
    );
  }
}
