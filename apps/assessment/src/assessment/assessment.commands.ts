import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assessmentStream, type Actor, type AssessmentFile, type CompleteAssessmentBody, type ScheduleAssessmentBody } from '@atr/contracts';
import { CommandRunner } from '@atr/platform';
import { assessmentDecider } from './assessment.decider';
import { visibleAssessment } from './assessment.view';

/** What an assessor does with an assessment addressed to their agency. */
export type AssessmentIntent = ({ type: 'ScheduleAssessment' } & ScheduleAssessmentBody) | ({ type: 'CompleteAssessment' } & CompleteAssessmentBody);

export class ChangeAssessment extends Command<AssessmentFile> {
  constructor(
    readonly actor: Actor,
    readonly assessmentId: string,
    readonly intent: AssessmentIntent,
    readonly requestId: string,
  ) {
    super();
  }
}

@CommandHandler(ChangeAssessment)
export class ChangeAssessmentHandler implements ICommandHandler<ChangeAssessment, AssessmentFile> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ actor, assessmentId, intent, requestId }: ChangeAssessment): Promise<AssessmentFile> {
    const stream = assessmentStream(assessmentId);
    visibleAssessment((await this.runner.load(stream, assessmentDecider)).state, actor, assessmentId);
    const { state } = await this.runner.run(stream, assessmentDecider, intent, { actor, requestId });
    return visibleAssessment(state, actor, assessmentId);
  }
}
