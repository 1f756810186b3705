import { Injectable } from '@nestjs/common';
import { caseStream, covers, type Actor } from '@atr/contracts';
import { CommandRunner, NotFound } from '@atr/platform';
import { caseDecider } from './case.decider';
import type { CaseState } from './case.state';

export type OpenedCase = CaseState & { caseId: string; jurisdiction: string };

/** Loads a case from its stream, as far as the caller's jurisdiction lets them see it. */
@Injectable()
export class CaseRepository {
  constructor(private readonly runner: CommandRunner) {}

  /** 404 outside the caller's jurisdiction (after a transfer the previous unit no longer sees it). */
  async loadVisible(caseId: string, actor: Actor): Promise<OpenedCase> {
    const { state } = await this.runner.load(caseStream(caseId), caseDecider);
    if (state.status === 'NONE' || !state.caseId || !state.jurisdiction || !covers(actor.jurisdiction, state.jurisdiction)) {
      throw new NotFound('case', caseId);
    }
    return state as OpenedCase;
  }
}
