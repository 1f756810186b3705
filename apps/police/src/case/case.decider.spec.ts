import { given } from '@atr/platform';
import type { Handoff } from '@atr/contracts';
import { caseDecider, type CaseCommand } from './case.decider';

const caseId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const referralId = '5f0c8c3e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const clueId = '0b7a6c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';
const otherReferralId = '6a1d9d4f-2b3c-4d4e-9f5a-6b7c8d9e0f1a';
const otherClueId = '1c8b7d2f-3a4e-4f6a-9b0c-1d2e3f4a5b6c';
const victimId = '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';
const placementId = '3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b';
const alertId = '4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c';

const police = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' } as const;
const civil = { agencyId: 'yanshan-civil-affairs', agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622' } as const;
const procuratorate = { agencyId: 'wenshan-procuratorate', agencyKind: 'PROCURATORATE', jurisdiction: '532600' } as const;
const otherPolice = { agencyId: 'wenshanshi-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532601' } as const;
const handoff = (to: Handoff['to']): Handoff => ({ from: police, to, reason: 'r' });

const wang = { userId: 'leader-wang', name: '王队' };
const openChild: CaseCommand = {
  type: 'OpenCase',
  caseId,
  referralId,
  clueId,
  category: 'CHILD_TRAFFICKING',
  childCase: true,
  jurisdiction: '532622',
  agencyId: 'yanshan-police',
  title: '砚山县儿童失踪案',
  leader: { ...wang, role: 'CASE_LEADER' },
};
const opened = {
  type: 'CaseOpened',
  payload: { caseId, referralId, clueId, category: 'CHILD_TRAFFICKING', childCase: true, jurisdiction: '532622', agencyId: 'yanshan-police', title: '砚山县儿童失踪案', taskForceLeader: wang },
};
const openedAdult = { type: 'CaseOpened', payload: { ...opened.payload, category: 'FORCED_LABOUR', childCase: false } };
const sample = { type: 'DnaSampleTaken', payload: { caseId, sampleId: 'S-1', subject: 'CHILD', laboratory: '云南省公安厅物证鉴定中心' } };
const solved = { type: 'CaseSolved', payload: { caseId, summary: '嫌疑人已到案' } };
const closed = { type: 'CaseClosed', payload: { caseId, reason: '结案' } };
const family = { familyId: 'F-1', householdHead: '张某', memberIdNumbers: ['53262219800101123X'] };
const buyer = { type: 'BuyerFamilyRecorded', payload: { caseId, family } };

const rule = (name: string, status = 409) => expect.objectContaining({ rule: name, status });

describe('case decider', () => {
  describe('open', () => {
    it('opens a child case under its task force leader', () => {
      expect(given(caseDecider, []).when(openChild)).toEqual([opened]);
    });
    it('opening again for the same referral is a no-op (retry of the accept endpoint)', () => {
      expect(given(caseDecider, [opened]).when(openChild)).toEqual([]);
    });
    it('refuses to open an existing case for another referral (CASE_EXISTS)', () => {
      expect(() => given(caseDecider, [opened]).when({ ...openChild, referralId: otherReferralId })).toThrow(rule('CASE_EXISTS'));
    });
    it('refuses a child case without a leader (CHILD_CASE_NEEDS_TASK_FORCE_LEADER)', () => {
      const { leader: _leader, ...withoutLeader } = openChild as Extract<CaseCommand, { type: 'OpenCase' }>;
      void _leader;
      expect(() => given(caseDecider, []).when(withoutLeader)).toThrow(rule('CHILD_CASE_NEEDS_TASK_FORCE_LEADER', 422));
    });
    it('refuses a leader who is not a CASE_LEADER (TASK_FORCE_LEADER_NOT_CASE_LEADER)', () => {
      expect(() => given(caseDecider, []).when({ ...openChild, leader: { userId: 'officer-li', role: 'OFFICER' } })).toThrow(
        rule('TASK_FORCE_LEADER_NOT_CASE_LEADER', 422),
      );
    });
    it('opens an adult case without a leader', () => {
      const [event] = given(caseDecider, []).when({ ...openChild, category: 'FORCED_LABOUR', childCase: false, leader: undefined });
      expect(event.payload).not.toHaveProperty('taskForceLeader');
    });
  });

  describe('attach a clue', () => {
    it('attaches another referral', () => {
      expect(given(caseDecider, [opened]).when({ type: 'AttachClue', referralId: otherReferralId, clueId: otherClueId })).toEqual([
        { type: 'ClueAttachedToCase', payload: { caseId, referralId: otherReferralId, clueId: otherClueId } },
      ]);
    });
    it('attaching the same referral again is a no-op', () => {
      const attached = { type: 'ClueAttachedToCase', payload: { caseId, referralId: otherReferralId, clueId: otherClueId } };
      expect(given(caseDecider, [opened, attached]).when({ type: 'AttachClue', referralId: otherReferralId, clueId: otherClueId })).toEqual([]);
    });
    it('refuses to attach to a solved case (CASE_NOT_OPEN)', () => {
      expect(() => given(caseDecider, [opened, solved]).when({ type: 'AttachClue', referralId: otherReferralId, clueId: otherClueId })).toThrow(rule('CASE_NOT_OPEN'));
    });
    it('refuses to act on a case never opened (CASE_NOT_OPENED)', () => {
      expect(() => given(caseDecider, []).when({ type: 'SolveCase', summary: 's' })).toThrow(rule('CASE_NOT_OPENED'));
    });
  });

  describe('task force leader (一长三包)', () => {
    it('hands the task force to a successor, naming the previous leader', () => {
      const [event] = given(caseDecider, [opened]).when({ type: 'AssignLeader', leader: { userId: 'leader-zhao', role: 'CASE_LEADER' }, reason: '工作调动' });
      expect(event).toEqual({ type: 'TaskForceLeaderAssigned', payload: { caseId, leader: { userId: 'leader-zhao' }, previousLeader: wang, reason: '工作调动' } });
    });
    it('refuses a successor who is not a CASE_LEADER', () => {
      expect(() => given(caseDecider, [opened]).when({ type: 'AssignLeader', leader: { userId: 'officer-li', role: 'OFFICER' }, reason: 'r' })).toThrow(
        rule('TASK_FORCE_LEADER_NOT_CASE_LEADER', 422),
      );
    });
    it('refuses to assign the current leader again (ALREADY_TASK_FORCE_LEADER)', () => {
      expect(() => given(caseDecider, [opened]).when({ type: 'AssignLeader', leader: { ...wang, role: 'CASE_LEADER' }, reason: 'r' })).toThrow(
        rule('ALREADY_TASK_FORCE_LEADER'),
      );
    });
    it('refuses to remove the leader of an unsolved child case (TASK_FORCE_LEADER_NEEDS_SUCCESSOR)', () => {
      expect(() => given(caseDecider, [opened]).when({ type: 'RemoveLeader' })).toThrow(rule('TASK_FORCE_LEADER_NEEDS_SUCCESSOR'));
    });
    it('dissolves the task force of a solved child case', () => {
      expect(given(caseDecider, [opened, solved]).when({ type: 'RemoveLeader' })).toEqual([
        { type: 'TaskForceLeaderRemoved', payload: { caseId, previousLeader: wang } },
      ]);
    });
    it('refuses to remove a leader the case does not have (NO_TASK_FORCE_LEADER)', () => {
      const noLeader = { type: 'CaseOpened', payload: { ...openedAdult.payload, taskForceLeader: undefined } };
      expect(() => given(caseDecider, [noLeader]).when({ type: 'RemoveLeader' })).toThrow(rule('NO_TASK_FORCE_LEADER'));
    });
  });

  describe('DNA, suspects, alerts, buyer families', () => {
    it('records a DNA sample once (DNA_SAMPLE_EXISTS)', () => {
      const command: CaseCommand = { type: 'TakeDnaSample', sampleId: 'S-1', subject: 'CHILD', laboratory: 'lab' };
      expect(given(caseDecider, [opened]).when(command)).toHaveLength(1);
      expect(() => given(caseDecider, [opened, sample]).when(command)).toThrow(rule('DNA_SAMPLE_EXISTS'));
    });
    it('records a match for a sample of the case', () => {
      expect(given(caseDecider, [opened, sample]).when({ type: 'RecordDnaMatch', sampleId: 'S-1', matchedSampleRef: 'DB-778', confidence: 0.9999 })).toEqual([
        { type: 'DnaMatchFound', payload: { caseId, sampleId: 'S-1', matchedSampleRef: 'DB-778', confidence: 0.9999 } },
      ]);
    });
    it('refuses a match for an unknown sample (UNKNOWN_DNA_SAMPLE)', () => {
      expect(() => given(caseDecider, [opened]).when({ type: 'RecordDnaMatch', sampleId: 'S-9', matchedSampleRef: 'DB-1', confidence: 1 })).toThrow(
        rule('UNKNOWN_DNA_SAMPLE', 422),
      );
    });
    it('records a suspect, then the arrest, but not the same facts twice (SUSPECT_ALREADY_IDENTIFIED)', () => {
      const identified = { type: 'SuspectIdentified', payload: { caseId, suspectId: 'P-1', description: '男，40岁', arrested: false } };
      expect(given(caseDecider, [opened, identified]).when({ type: 'IdentifySuspect', suspectId: 'P-1', description: '男，40岁', arrested: true })).toHaveLength(1);
      expect(() => given(caseDecider, [opened, identified]).when({ type: 'IdentifySuspect', suspectId: 'P-1', description: 'x', arrested: false })).toThrow(
        rule('SUSPECT_ALREADY_IDENTIFIED'),
      );
    });
    it('issues a missing-child alert', () => {
      const to = { agencyId: 'wenshan-prefecture-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600' } as const;
      const [event] = given(caseDecider, [opened]).when({ type: 'IssueMissingChildAlert', alertId, handoff: handoff(to), jurisdictions: ['532601', '532600'], child: { name: '小明' } });
      expect(event).toEqual({ type: 'MissingChildAlertIssued', payload: { caseId, alertId, handoff: handoff(to), jurisdictions: ['532601', '532600'], child: { name: '小明' } } });
    });
    it('records a buyer family once (BUYER_FAMILY_EXISTS)', () => {
      expect(given(caseDecider, [opened]).when({ type: 'RecordBuyerFamily', family })).toEqual([buyer]);
      expect(() => given(caseDecider, [opened, buyer]).when({ type: 'RecordBuyerFamily', family })).toThrow(rule('BUYER_FAMILY_EXISTS'));
    });
  });

  describe('rescue', () => {
    const victim = { victimId, name: '小明', isChild: true, ageYears: 6 };
    const rescue: CaseCommand = {
      type: 'RescueVictim',
      victim,
      rescuedAt: '2026-03-03T02:00:00.000Z',
      place: '某村',
      placementId,
      handoff: handoff(civil),
      now: '2026-03-03T03:00:00.000Z',
    };
    it('rescues and hands the victim over to civil affairs with every buyer family of the case', () => {
      const events = given(caseDecider, [opened, buyer]).when(rescue);
      expect(events).toEqual([
        { type: 'VictimRescued', payload: { caseId, victim, rescuedAt: '2026-03-03T02:00:00.000Z', place: '某村' } },
        { type: 'VictimHandedOver', payload: { caseId, placementId, handoff: handoff(civil), victim, buyerFamilies: [family] } },
      ]);
    });
    it('refuses a rescue in the future (RESCUE_IN_FUTURE)', () => {
      expect(() => given(caseDecider, [opened]).when({ ...rescue, rescuedAt: '2026-03-04T00:00:00.000Z' })).toThrow(rule('RESCUE_IN_FUTURE', 422));
    });
    it('refuses to rescue the same victim twice (VICTIM_ALREADY_RESCUED)', () => {
      const { state } = given(caseDecider, [opened, ...given(caseDecider, [opened]).when(rescue)]);
      expect(state.victims).toEqual([{ victim, rescuedAt: '2026-03-03T02:00:00.000Z', place: '某村', placementId }]);
      expect(() => caseDecider.decide(rescue, state)).toThrow(rule('VICTIM_ALREADY_RESCUED'));
    });
  });

  describe('transfer and supervision', () => {
    it('transfers the case: it then belongs to the receiving jurisdiction', () => {
      const events = given(caseDecider, [opened]).when({ type: 'TransferCase', handoff: handoff(otherPolice) });
      const { state } = given(caseDecider, [opened, ...events]);
      expect(state).toMatchObject({ jurisdiction: '532601', agencyId: 'wenshanshi-police' });
    });
    it('refuses a transfer to its own jurisdiction (TRANSFER_TO_SAME_JURISDICTION)', () => {
      expect(() => given(caseDecider, [opened]).when({ type: 'TransferCase', handoff: handoff(police) })).toThrow(rule('TRANSFER_TO_SAME_JURISDICTION'));
    });
    it('lists for supervision once per level (ALREADY_LISTED_FOR_SUPERVISION)', () => {
      const listed = { type: 'CaseListedForSupervision', payload: { caseId, level: 'CITY' } };
      expect(given(caseDecider, [opened]).when({ type: 'ListForSupervision', level: 'CITY' })).toEqual([listed]);
      expect(given(caseDecider, [opened, listed]).when({ type: 'ListForSupervision', level: 'PROVINCE' })).toHaveLength(1);
      expect(() => given(caseDecider, [opened, listed]).when({ type: 'ListForSupervision', level: 'CITY' })).toThrow(rule('ALREADY_LISTED_FOR_SUPERVISION'));
    });
  });

  describe('solve, prosecute, close', () => {
    it('solves once (ALREADY_SOLVED)', () => {
      expect(given(caseDecider, [opened]).when({ type: 'SolveCase', summary: '破案' })).toEqual([{ type: 'CaseSolved', payload: { caseId, summary: '破案' } }]);
      expect(() => given(caseDecider, [opened, solved]).when({ type: 'SolveCase', summary: '破案' })).toThrow(rule('ALREADY_SOLVED'));
    });
    it('refuses prosecution before the case is solved (CASE_NOT_SOLVED)', () => {
      expect(() => given(caseDecider, [opened]).when({ type: 'SendForProsecution', handoff: handoff(procuratorate) })).toThrow(rule('CASE_NOT_SOLVED'));
    });
    it('sends a solved case for prosecution once (ALREADY_SENT_FOR_PROSECUTION)', () => {
      const [sent] = given(caseDecider, [opened, solved]).when({ type: 'SendForProsecution', handoff: handoff(procuratorate) });
      expect(sent.type).toBe('CaseSentForProsecution');
      expect(() => given(caseDecider, [opened, solved, sent]).when({ type: 'SendForProsecution', handoff: handoff(procuratorate) })).toThrow(
        rule('ALREADY_SENT_FOR_PROSECUTION'),
      );
    });
    it('refuses to close an unsolved child case (CHILD_CASE_CLOSE_REQUIRES_SOLVED)', () => {
      expect(() => given(caseDecider, [opened]).when({ type: 'CloseCase', reason: '无果' })).toThrow(rule('CHILD_CASE_CLOSE_REQUIRES_SOLVED'));
    });
    it('closes a solved child case, and an unsolved adult case', () => {
      expect(given(caseDecider, [opened, solved]).when({ type: 'CloseCase', reason: '结案' })).toEqual([closed]);
      expect(given(caseDecider, [openedAdult]).when({ type: 'CloseCase', reason: '撤案' })).toHaveLength(1);
    });
    it.each<CaseCommand>([
      { type: 'TakeDnaSample', sampleId: 'S-2', subject: 'PARENT', laboratory: 'lab' },
      { type: 'SolveCase', summary: 's' },
      { type: 'CloseCase', reason: 'again' },
      { type: 'ListForSupervision', level: 'NATIONAL' },
      { type: 'AttachClue', referralId: otherReferralId, clueId: otherClueId },
    ])('appends nothing to a closed case: $type (CASE_CLOSED)', (command) => {
      expect(() => given(caseDecider, [opened, solved, closed]).when(command)).toThrow(rule('CASE_CLOSED'));
    });
  });
});
