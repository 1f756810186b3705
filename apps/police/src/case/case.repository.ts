import { Injectable } from '@nestjs/common';
import { caseStream, covers, type Actor, type AsOfQuery } from '@atr/contracts';
import { auditorCovers, CommandRunner, NotFound, type RecordRead } from '@atr/platform';
import { caseDecider } from './case.decider';
import type { CaseState } from './case.state';

export type OpenedCase = CaseState & { caseId: string; jurisdiction: string };

const isOpened = (state: CaseState): state is OpenedCase => state.status !== 'NONE' && !!state.caseId && !!state.jurisdiction;

/** Loads a case from its stream, as far as the caller's jurisdiction lets them see it. */
@Injectable()
export class CaseRepository {
  constructor(private readonly runner: CommandRunner) {}

  /** 404 outside the caller's jurisdiction (after a transfer the previous unit no longer sees it). */
  async loadVisible(caseId: string, actor: Actor): Promise<OpenedCase> {
    const { state } = await this.runner.load(caseStream(caseId), caseDecider);
    if (!isOpened(state) || !covers(actor.jurisdiction, state.jurisdiction)) throw new NotFound('case', caseId);
    return state;
  }

  /**
   * For reads, now or as it was at `at`: police covering the case, or auditors (joint-conference
   * office, procuratorate) covering it. A past read is checked on the case now and then.
   */
  async read(caseId: string, actor: Actor, at?: AsOfQuery): Promise<RecordRead<OpenedCase>> {
    const mayRead = (state: CaseState) =>
      isOpened(state) && (actor.agencyKind === 'PUBLIC_SECURITY' ? covers(actor.jurisdiction, state.jurisdiction) : auditorCovers(actor, state.jurisdiction));
    const read = await this.runner.loadForReader(caseStream(caseId), caseDecider, at, mayRead);
    if (!read) throw new NotFound('case', caseId);
    return read as RecordRead<OpenedCase>;
  }
}
