import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { clueStream, type Actor, type InformationProvided, type ProvideInformationBody } from '@atr/contracts';
import { CommandRunner, NotFound, partyOf } from '@atr/platform';
import { clueDecider } from './clue.decider';

export class ProvideInformation extends Command<InformationProvided> {
  constructor(
    readonly clueId: string,
    readonly body: ProvideInformationBody,
    readonly actor: Actor,
  ) {
    super();
  }
}

@CommandHandler(ProvideInformation)
export class ProvideInformationHandler implements ICommandHandler<ProvideInformation, InformationProvided> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ clueId, body, actor }: ProvideInformation): Promise<InformationProvided> {
    const stream = clueStream(clueId);
    const { state } = await this.runner.load(stream, clueDecider);
    // Only the submitting agency answers; to anyone else the clue does not exist.
    if (state.submitted?.submittedBy.agencyId !== actor.agencyId) throw new NotFound('clue', clueId);
    const { appended } = await this.runner.run(
      stream,
      clueDecider,
      { type: 'ProvideInformation', requestId: body.requestId, answer: body.answer, from: partyOf(actor) },
      // the answer is caused by the question, not by whatever the stream recorded last
      { actor, causationId: state.requests[body.requestId]?.recordedBy },
    );
    const event = appended[0];
    return {
      clueId,
      referralId: (event.payload as { referralId: string }).referralId,
      requestId: body.requestId,
      answeredAt: event.occurredAt,
    };
  }
}
