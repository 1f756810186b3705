import { given } from '@atr/platform';
import type { Handoff } from '@atr/contracts';
import { referralDecider, type ReceivedReferral } from './referral.decider';

const referralId = '5f0c8c3e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const clueId = '0b7a6c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';
const caseId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const requestId = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const police = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' } as const;
const school = { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622' } as const;
const jco = { agencyId: 'wenshan-joint-conference-office', agencyKind: 'JOINT_CONFERENCE_OFFICE', jurisdiction: '532600' } as const;

const referral: ReceivedReferral = {
  referralId,
  clueId,
  handoff: { from: school, to: police, reason: '强制报告' },
  category: 'CHILD_TRAFFICKING',
  priority: 'URGENT',
  acknowledgeBy: '2026-03-03T03:15:00.000Z',
  source: 'SCHOOL',
  summary: '学生连续两周未到校，家长称已送往外地',
  location: { divisionCode: '532622' },
  childMissing: true,
  childInDanger: false,
  details: { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } },
};

const received = { type: 'ReferralReceived', payload: referral };
const acknowledged = { type: 'ReferralAcknowledged', payload: { referralId, clueId, acknowledgeBy: referral.acknowledgeBy, late: false } };
const accepted = { type: 'ReferralAccepted', payload: { referralId, clueId, caseId, mode: 'OPENED_CASE' } };
const rejected = { type: 'ReferralRejected', payload: { referralId, clueId, reason: '非拐卖' } };
const escalation: Handoff = { from: police, to: jco, reason: 'acknowledgment overdue' };
const escalated = {
  type: 'ReferralEscalated',
  payload: { referralId, clueId, handoff: escalation, priority: 'URGENT', acknowledgeBy: referral.acknowledgeBy, overdueMinutes: 5 },
};
const early = '2026-03-03T03:05:00.000Z';
const late = '2026-03-03T03:20:00.000Z';

describe('referral decider', () => {
  describe('receive', () => {
    it('records the hand-off as received', () => {
      expect(given(referralDecider, []).when({ type: 'ReceiveReferral', referral })).toEqual([{ type: 'ReferralReceived', payload: referral }]);
    });
    it('receives the same referral only once', () => {
      expect(given(referralDecider, [received]).when({ type: 'ReceiveReferral', referral })).toEqual([]);
    });
  });

  describe('acknowledge', () => {
    it('acknowledges on time', () => {
      const [event] = given(referralDecider, [received]).when({ type: 'AcknowledgeReferral', at: early });
      expect(event).toEqual({ type: 'ReferralAcknowledged', payload: { referralId, clueId, acknowledgeBy: referral.acknowledgeBy, late: false } });
    });
    it('marks a late acknowledgment', () => {
      const [event] = given(referralDecider, [received]).when({ type: 'AcknowledgeReferral', at: late });
      expect(event.payload).toMatchObject({ late: true });
    });
    it('refuses a second acknowledgment (ALREADY_ACKNOWLEDGED)', () => {
      expect(() => given(referralDecider, [received, acknowledged]).when({ type: 'AcknowledgeReferral', at: early })).toThrow(
        expect.objectContaining({ rule: 'ALREADY_ACKNOWLEDGED', status: 409 }),
      );
    });
    it('refuses to act on a referral never received (REFERRAL_NOT_RECEIVED)', () => {
      expect(() => given(referralDecider, []).when({ type: 'AcknowledgeReferral', at: early })).toThrow(
        expect.objectContaining({ rule: 'REFERRAL_NOT_RECEIVED' }),
      );
    });
  });

  describe('accept', () => {
    it('acknowledges implicitly, then accepts', () => {
      const events = given(referralDecider, [received]).when({ type: 'AcceptReferral', caseId, mode: 'OPENED_CASE', at: late });
      expect(events.map((e) => e.type)).toEqual(['ReferralAcknowledged', 'ReferralAccepted']);
      expect(events[0].payload).toMatchObject({ late: true });
      expect(events[1].payload).toEqual({ referralId, clueId, caseId, mode: 'OPENED_CASE' });
    });
    it('accepts an acknowledged referral without a second acknowledgment', () => {
      const events = given(referralDecider, [received, acknowledged]).when({ type: 'AcceptReferral', caseId, mode: 'ATTACHED_TO_CASE', at: late });
      expect(events.map((e) => e.type)).toEqual(['ReferralAccepted']);
    });
    it('refuses to accept twice (ALREADY_ACCEPTED)', () => {
      expect(() => given(referralDecider, [received, acknowledged, accepted]).when({ type: 'AcceptReferral', caseId, mode: 'OPENED_CASE', at: late })).toThrow(
        expect.objectContaining({ rule: 'ALREADY_ACCEPTED', status: 409 }),
      );
    });
    it('refuses to accept a rejected referral (ALREADY_REJECTED)', () => {
      expect(() => given(referralDecider, [received, acknowledged, rejected]).when({ type: 'AcceptReferral', caseId, mode: 'OPENED_CASE', at: late })).toThrow(
        expect.objectContaining({ rule: 'ALREADY_REJECTED' }),
      );
    });
  });

  describe('reject', () => {
    it('rejects with a reason and the competent agency', () => {
      const forwardTo = { agencyKind: 'CIVIL_AFFAIRS', jurisdiction: '532622' };
      const events = given(referralDecider, [received, acknowledged]).when({ type: 'RejectReferral', reason: '属收养纠纷', forwardTo, at: early });
      expect(events).toEqual([{ type: 'ReferralRejected', payload: { referralId, clueId, reason: '属收养纠纷', forwardTo } }]);
    });
    it('refuses to reject an accepted referral (ALREADY_ACCEPTED)', () => {
      expect(() => given(referralDecider, [received, accepted]).when({ type: 'RejectReferral', reason: 'x', at: early })).toThrow(
        expect.objectContaining({ rule: 'ALREADY_ACCEPTED' }),
      );
    });
  });

  describe('information', () => {
    const handoff: Handoff = { from: police, to: school, reason: 'information requested' };
    const requested = { type: 'InformationRequested', payload: { referralId, clueId, requestId, handoff, question: '学生最后一次到校是哪天？' } };

    it('asks the submitter, acknowledging the referral', () => {
      const events = given(referralDecider, [received]).when({ type: 'RequestInformation', requestId, question: '学生最后一次到校是哪天？', handoff, at: early });
      expect(events.map((e) => e.type)).toEqual(['ReferralAcknowledged', 'InformationRequested']);
      expect(events[1].payload).toEqual(requested.payload);
    });
    it('refuses to ask about a rejected referral (ALREADY_REJECTED)', () => {
      expect(() => given(referralDecider, [received, rejected]).when({ type: 'RequestInformation', requestId, question: 'q', handoff, at: early })).toThrow(
        expect.objectContaining({ rule: 'ALREADY_REJECTED' }),
      );
    });
    it('records the answer to a request', () => {
      const { state, when } = given(referralDecider, [received, requested]);
      expect(state.requests).toHaveLength(1);
      expect(when({ type: 'ReceiveInformation', requestId, answer: '3月1日' })).toEqual([
        { type: 'InformationReceived', payload: { referralId, clueId, requestId, answer: '3月1日' } },
      ]);
    });
    it('refuses an answer to an unknown request (UNKNOWN_INFORMATION_REQUEST)', () => {
      expect(() => given(referralDecider, [received]).when({ type: 'ReceiveInformation', requestId, answer: 'a' })).toThrow(
        expect.objectContaining({ rule: 'UNKNOWN_INFORMATION_REQUEST', status: 422 }),
      );
    });
  });

  describe('escalate', () => {
    it('escalates an overdue unacknowledged referral with the minutes overdue', () => {
      const events = given(referralDecider, [received]).when({ type: 'EscalateReferral', at: '2026-03-03T03:20:30.000Z', handoff: escalation });
      expect(events).toEqual([escalated]);
    });
    it('does nothing before the deadline', () => {
      expect(given(referralDecider, [received]).when({ type: 'EscalateReferral', at: early, handoff: escalation })).toEqual([]);
    });
    it('escalates once only', () => {
      expect(given(referralDecider, [received, escalated]).when({ type: 'EscalateReferral', at: late, handoff: escalation })).toEqual([]);
    });
    it('never escalates an acknowledged referral', () => {
      expect(given(referralDecider, [received, acknowledged]).when({ type: 'EscalateReferral', at: late, handoff: escalation })).toEqual([]);
    });
    it('keeps the escalation when the referral is acknowledged afterwards', () => {
      const { state } = given(referralDecider, [received, escalated, { ...acknowledged, payload: { ...acknowledged.payload, late: true } }]);
      expect(state).toMatchObject({ status: 'ACKNOWLEDGED', late: true, escalation: { overdueMinutes: 5 } });
    });
  });
});
