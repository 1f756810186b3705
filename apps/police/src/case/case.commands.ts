import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { caseStream, type Actor, type CaseCommandResponse } from '@atr/contracts';
import { AGENCY_DIRECTORY, CLOCK, CommandRunner, type AgencyDirectory, type Clock } from '@atr/platform';
import { caseDecider } from './case.decider';
import { prepareCaseCommand, type CaseAction } from './case.preparation';
import { CaseRepository } from './case.repository';

/** Any command on a case by a caller whose jurisdiction covers it (police, or the joint-conference office). */
export class ActOnCase extends Command<CaseCommandResponse> {
  constructor(
    readonly caseId: string,
    readonly action: CaseAction,
    readonly actor: Actor,
    readonly requestId: string,
  ) {
    super();
  }
}

@CommandHandler(ActOnCase)
export class ActOnCaseHandler implements ICommandHandler<ActOnCase> {
  constructor(
    private readonly cases: CaseRepository,
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  async execute({ caseId, action, actor, requestId }: ActOnCase): Promise<CaseCommandResponse> {
    const current = await this.cases.loadVisible(caseId, actor);
    const { command, created } = prepareCaseCommand(action, current, { actor, directory: this.directory, now: this.clock.now() });
    // the decision is made again on the stream as it is at append time: the rules are never bypassed
    const { state } = await this.runner.run(caseStream(caseId), caseDecider, command, { actor, requestId });
    return { caseId, status: state.status === 'NONE' ? 'OPEN' : state.status, ...created };
  }
}
