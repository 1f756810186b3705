import {
  deterministicId,
  newId,
  type Actor,
  type AssignTaskForceLeaderBody,
  type CaseCommandResponse,
  type MissingChildAlertBody,
  type ProsecutionBody,
  type RescueBody,
  type TransferCaseBody,
} from '@atr/contracts';
import { partyOf, type AgencyDirectory } from '@atr/platform';
import { cityPoliceParty, closestParty, neighbouringJurisdictions, policeRoleOf } from '../shared/parties';
import type { CaseCommand } from './case.decider';
import type { OpenedCase } from './case.repository';

/** What a caller asks of a case; the handler completes it with ids, hand-off parties and time. */
export type CaseAction =
  | Extract<
      CaseCommand,
      { type: 'RemoveLeader' | 'TakeDnaSample' | 'RecordDnaMatch' | 'IdentifySuspect' | 'RecordBuyerFamily' | 'ListForSupervision' | 'SolveCase' | 'CloseCase' }
    >
  | ({ type: 'AssignLeader' } & AssignTaskForceLeaderBody)
  | ({ type: 'IssueMissingChildAlert' } & MissingChildAlertBody)
  | ({ type: 'RescueVictim' } & RescueBody)
  | ({ type: 'TransferCase' } & TransferCaseBody)
  | ({ type: 'SendForProsecution' } & ProsecutionBody);

export interface Prepared {
  command: CaseCommand;
  /** Ids the command created, returned to the caller. */
  created: Omit<CaseCommandResponse, 'caseId' | 'status'>;
}

export interface PreparationContext {
  actor: Actor;
  directory: AgencyDirectory;
  now: Date;
}

/** Resolves the parts of a case command that depend on the directory, the clock or new ids. */
export function prepareCaseCommand(action: CaseAction, current: OpenedCase, { actor, directory, now }: PreparationContext): Prepared {
  const from = partyOf(actor);
  switch (action.type) {
    case 'AssignLeader': {
      const leader = { userId: action.userId, ...(action.name ? { name: action.name } : {}), role: policeRoleOf(directory, action.userId, current.jurisdiction) };
      return { command: { type: 'AssignLeader', leader, reason: action.reason }, created: {} };
    }
    case 'IssueMissingChildAlert': {
      const alertId = newId();
      const jurisdictions = action.jurisdictions ?? neighbouringJurisdictions(directory, current.jurisdiction);
      const handoff = { from, to: cityPoliceParty(directory, current.jurisdiction), reason: 'missing-child alert (团圆): search the neighbouring jurisdictions' };
      return { command: { type: 'IssueMissingChildAlert', alertId, handoff, jurisdictions, child: action.child }, created: { alertId, jurisdictions } };
    }
    case 'RescueVictim': {
      const victimId = newId();
      // derived from the case and the victim, so whoever receives the hand-off can find the placement by it
      const placementId = deterministicId('placement', current.caseId, victimId);
      const handoff = { from, to: closestParty(directory, 'CIVIL_AFFAIRS', current.jurisdiction), reason: 'rescued victim handed over for shelter and placement' };
      const command: CaseCommand = {
        type: 'RescueVictim',
        victim: { ...action.victim, victimId },
        rescuedAt: action.rescuedAt,
        ...(action.place ? { place: action.place } : {}),
        placementId,
        handoff,
        now: now.toISOString(),
      };
      return { command, created: { victimId, placementId } };
    }
    case 'TransferCase':
      return {
        command: { type: 'TransferCase', handoff: { from, to: closestParty(directory, 'PUBLIC_SECURITY', action.toJurisdiction), reason: action.reason } },
        created: {},
      };
    case 'SendForProsecution':
      return {
        command: { type: 'SendForProsecution', handoff: { from, to: closestParty(directory, 'PROCURATORATE', current.jurisdiction), reason: action.note ?? '移送起诉: the solved case goes to the procuratorate' } },
        created: {},
      };
    default:
      return { command: action, created: {} };
  }
}
