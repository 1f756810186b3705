import {
  BuyerFamilyRecorded,
  CaseClosed,
  CaseListedForSupervision,
  CaseOpened,
  CaseSentForProsecution,
  CaseSolved,
  CaseTransferred,
  ClueAttachedToCase,
  DnaMatchFound,
  DnaSampleTaken,
  MissingChildAlertIssued,
  SuspectIdentified,
  TaskForceLeaderAssigned,
  TaskForceLeaderRemoved,
  VictimHandedOver,
  VictimRescued,
  type BuyerFamily,
  type ClueCategory,
  type Handoff,
  type PersonDescription,
  type Role,
  type Victim,
} from '@atr/contracts';
import { draft, RuleViolation, type Decider, type EventDraft } from '@atr/platform';
import { isAfter } from '../shared/events';
import { evolveCase, initialCaseState, isSolved, type CaseState } from './case.state';

/** A leader as the command names them, with the role the agency directory gives that user. */
export interface LeaderCandidate {
  userId: string;
  name?: string;
  role?: Role;
}

export type CaseCommand =
  | {
      type: 'OpenCase';
      caseId: string;
      referralId: string;
      clueId: string;
      category: ClueCategory;
      childCase: boolean;
      jurisdiction: string;
      agencyId: string;
      title: string;
      leader?: LeaderCandidate;
    }
  | { type: 'AttachClue'; referralId: string; clueId: string }
  | { type: 'AssignLeader'; leader: LeaderCandidate; reason: string }
  | { type: 'RemoveLeader' }
  | { type: 'TakeDnaSample'; sampleId: string; subject: 'CHILD' | 'PARENT' | 'SUSPECT' | 'OTHER'; laboratory: string }
  | { type: 'RecordDnaMatch'; sampleId: string; matchedSampleRef: string; confidence: number }
  | { type: 'IdentifySuspect'; suspectId: string; description: string; arrested: boolean }
  | { type: 'IssueMissingChildAlert'; alertId: string; handoff: Handoff; jurisdictions: string[]; child: PersonDescription }
  | { type: 'RecordBuyerFamily'; family: BuyerFamily }
  | { type: 'RescueVictim'; victim: Victim; rescuedAt: string; place?: string; placementId: string; handoff: Handoff; now: string }
  | { type: 'TransferCase'; handoff: Handoff }
  | { type: 'ListForSupervision'; level: 'COUNTY' | 'CITY' | 'PROVINCE' | 'NATIONAL'; note?: string }
  | { type: 'SolveCase'; summary: string }
  | { type: 'SendForProsecution'; handoff: Handoff }
  | { type: 'CloseCase'; reason: string };

function officer(leader: LeaderCandidate) {
  return leader.name === undefined ? { userId: leader.userId } : { userId: leader.userId, name: leader.name };
}

/** 一长三包: a task force is led by a county-level CASE_LEADER. */
function assertCaseLeader(leader: LeaderCandidate): void {
  if (leader.role !== 'CASE_LEADER') {
    throw new RuleViolation('TASK_FORCE_LEADER_NOT_CASE_LEADER', `${leader.userId} is not a CASE_LEADER of a police unit covering the case`, 422);
  }
}

function open(command: Extract<CaseCommand, { type: 'OpenCase' }>, state: CaseState): EventDraft[] {
  if (state.status !== 'NONE') {
    // the accept endpoint retries after a failure between its two appends: same referral, same case
    if (state.referralIds[0] === command.referralId) return [];
    throw new RuleViolation('CASE_EXISTS', `case ${command.caseId} exists already`);
  }
  if (command.childCase && !command.leader) {
    throw new RuleViolation('CHILD_CASE_NEEDS_TASK_FORCE_LEADER', 'a child case needs a task force leader with role CASE_LEADER (一长三包)', 422);
  }
  if (command.leader) assertCaseLeader(command.leader);
  const { leader, type: _type, ...payload } = command;
  void _type;
  return [draft(CaseOpened, { ...payload, ...(leader ? { taskForceLeader: officer(leader) } : {}) })];
}

function decide(command: CaseCommand, state: CaseState): EventDraft[] {
  if (command.type === 'OpenCase') return open(command, state);
  if (state.status === 'NONE' || !state.caseId) throw new RuleViolation('CASE_NOT_OPENED', 'the case does not exist');
  if (state.status === 'CLOSED') throw new RuleViolation('CASE_CLOSED', 'the case is closed: nothing more can be recorded on it');
  const caseId = state.caseId;
  switch (command.type) {
    case 'AttachClue':
      if (state.referralIds.includes(command.referralId)) return []; // a retry of the same acceptance
      if (state.status !== 'OPEN') throw new RuleViolation('CASE_NOT_OPEN', `the case is ${state.status}: referrals are attached to open cases only`);
      return [draft(ClueAttachedToCase, { caseId, referralId: command.referralId, clueId: command.clueId })];
    case 'AssignLeader':
      assertCaseLeader(command.leader);
      if (state.leader?.userId === command.leader.userId) {
        throw new RuleViolation('ALREADY_TASK_FORCE_LEADER', `${command.leader.userId} already leads the task force`);
      }
      return [
        draft(TaskForceLeaderAssigned, {
          caseId,
          leader: officer(command.leader),
          ...(state.leader ? { previousLeader: state.leader } : {}),
          reason: command.reason,
        }),
      ];
    case 'RemoveLeader':
      if (state.childCase && !isSolved(state)) {
        throw new RuleViolation('TASK_FORCE_LEADER_NEEDS_SUCCESSOR', 'the leader of an unsolved child case can only be replaced by a successor (一长三包)');
      }
      if (!state.leader) throw new RuleViolation('NO_TASK_FORCE_LEADER', 'the case has no task force leader');
      return [draft(TaskForceLeaderRemoved, { caseId, previousLeader: state.leader })];
    case 'TakeDnaSample':
      if (state.samples.some((s) => s.sampleId === command.sampleId)) {
        throw new RuleViolation('DNA_SAMPLE_EXISTS', `sample ${command.sampleId} is recorded on the case already`);
      }
      return [draft(DnaSampleTaken, { caseId, sampleId: command.sampleId, subject: command.subject, laboratory: command.laboratory })];
    case 'RecordDnaMatch':
      if (!state.samples.some((s) => s.sampleId === command.sampleId)) {
        throw new RuleViolation('UNKNOWN_DNA_SAMPLE', `sample ${command.sampleId} was not taken for this case`, 422);
      }
      return [draft(DnaMatchFound, { caseId, sampleId: command.sampleId, matchedSampleRef: command.matchedSampleRef, confidence: command.confidence })];
    case 'IdentifySuspect': {
      const known = state.suspects.find((s) => s.suspectId === command.suspectId);
      // identifying a known suspect again only makes sense to record the arrest
      if (known && (known.arrested || !command.arrested)) {
        throw new RuleViolation('SUSPECT_ALREADY_IDENTIFIED', `suspect ${command.suspectId} is recorded already`);
      }
      return [draft(SuspectIdentified, { caseId, suspectId: command.suspectId, description: command.description, arrested: command.arrested })];
    }
    case 'IssueMissingChildAlert':
      return [draft(MissingChildAlertIssued, { caseId, alertId: command.alertId, handoff: command.handoff, jurisdictions: command.jurisdictions, child: command.child })];
    case 'RecordBuyerFamily':
      if (state.buyerFamilies.some((f) => f.familyId === command.family.familyId)) {
        throw new RuleViolation('BUYER_FAMILY_EXISTS', `family ${command.family.familyId} is recorded on the case already`);
      }
      return [draft(BuyerFamilyRecorded, { caseId, family: command.family })];
    case 'RescueVictim':
      if (isAfter(command.rescuedAt, command.now)) throw new RuleViolation('RESCUE_IN_FUTURE', 'rescuedAt is in the future', 422);
      if (state.victims.some((v) => v.victim.victimId === command.victim.victimId)) {
        throw new RuleViolation('VICTIM_ALREADY_RESCUED', `victim ${command.victim.victimId} is recorded already`);
      }
      // the hand-off carries every buyer family so civil affairs can never place the child there
      return [
        draft(VictimRescued, { caseId, victim: command.victim, rescuedAt: command.rescuedAt, ...(command.place ? { place: command.place } : {}) }),
        draft(VictimHandedOver, { caseId, placementId: command.placementId, handoff: command.handoff, victim: command.victim, buyerFamilies: state.buyerFamilies }),
      ];
    case 'TransferCase':
      if (command.handoff.to.jurisdiction === state.jurisdiction) {
        throw new RuleViolation('TRANSFER_TO_SAME_JURISDICTION', `the case already belongs to ${state.jurisdiction}`);
      }
      return [draft(CaseTransferred, { caseId, handoff: command.handoff })];
    case 'ListForSupervision':
      if (state.supervision.some((s) => s.level === command.level)) {
        throw new RuleViolation('ALREADY_LISTED_FOR_SUPERVISION', `the case is listed for ${command.level} supervision already`);
      }
      return [draft(CaseListedForSupervision, { caseId, level: command.level, ...(command.note ? { note: command.note } : {}) })];
    case 'SolveCase':
      if (isSolved(state)) throw new RuleViolation('ALREADY_SOLVED', 'the case is solved already');
      return [draft(CaseSolved, { caseId, summary: command.summary })];
    case 'SendForProsecution':
      if (state.status === 'SENT_FOR_PROSECUTION') throw new RuleViolation('ALREADY_SENT_FOR_PROSECUTION', 'the case was sent to the procuratorate already');
      if (!isSolved(state)) throw new RuleViolation('CASE_NOT_SOLVED', 'only a solved case can be sent for prosecution');
      return [draft(CaseSentForProsecution, { caseId, handoff: command.handoff })];
    case 'CloseCase':
      if (state.childCase && !isSolved(state)) {
        throw new RuleViolation('CHILD_CASE_CLOSE_REQUIRES_SOLVED', 'a child-trafficking case cannot be closed until it is solved (一长三包)');
      }
      return [draft(CaseClosed, { caseId, reason: command.reason })];
  }
}

export const caseDecider: Decider<CaseState, CaseCommand> = { initialState: initialCaseState, evolve: evolveCase, decide };
