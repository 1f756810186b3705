import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { READ_MODELS, ReadModels } from '@atr/platform';
import { ClueController } from './clue/clue.controller';
import { GetClueStatusHandler } from './clue/clue-status.query';
import { cluesProjection } from './clue/clues.projection';
import { ListCluesHandler } from './clue/list-clues.query';
import { ProvideInformationHandler } from './clue/provide-information.command';
import { SubmissionController } from './clue/submission.controller';
import { SubmitClueHandler } from './clue/submit-clue.command';
import { FeedbackConsumer } from './feedback/feedback.consumer';
import { ReferralRouter } from './routing/referral-router.consumer';

/**
 * Intake: source-specific submission APIs, triage, referral to police (or a duplicate link),
 * feedback to the submitter. Needs PlatformModule (global) from its host: a service's own
 * main.ts, or the runner with every service.
 */
@Module({
  controllers: [SubmissionController, ClueController],
  providers: [SubmitClueHandler, ProvideInformationHandler, GetClueStatusHandler, ListCluesHandler, ReferralRouter, FeedbackConsumer],
})
export class IntakeModule implements OnModuleInit {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  onModuleInit(): void {
    this.readModels.register(cluesProjection);
  }
}
