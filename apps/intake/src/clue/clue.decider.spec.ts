import { given, RuleViolation } from '@atr/platform';
import { CASE_ID, CLUE_ID, OTHER_CLUE_ID, REQUEST_ID, school, stored, submitCommand, yanshanPolice } from '../testing/fixtures';
import { clueDecider, referralIdOf } from './clue.decider';
import { statusOf } from './clue.state';

const submittedEvents = () => stored(given(clueDecider, []).when(submitCommand()));
const referredEvents = () => [...submittedEvents(), ...stored(given(clueDecider, submittedEvents()).when({ type: 'RouteClue' }))];
const referralId = referralIdOf(CLUE_ID, '532622');

function ruleOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleViolation) return error.rule;
    throw error;
  }
  throw new Error('no rule was broken');
}

describe('clue decider', () => {
  describe('SubmitClue', () => {
    it('given no clue, when submitted, then ClueSubmitted and ClueTriaged', () => {
      const drafts = given(clueDecider, []).when(submitCommand());
      expect(drafts.map((d) => d.type)).toEqual(['ClueSubmitted', 'ClueTriaged']);
      expect(drafts[0].payload).toMatchObject({ clueId: CLUE_ID, submittedBy: school, summary: '学生连续两周未到校，家长称已送往外地 🙏' });
      expect(drafts[1].payload).toMatchObject({ category: 'CHILD_TRAFFICKING', priority: 'URGENT', acknowledgeWithinMinutes: 15 });
    });

    it('given the same submission, when retried with the same body, then nothing (a replay)', () => {
      expect(given(clueDecider, submittedEvents()).when(submitCommand())).toEqual([]);
    });

    it('given a submission, when another body comes under the same key, then IDEMPOTENCY_KEY_REUSED (422)', () => {
      const state = given(clueDecider, submittedEvents());
      expect(ruleOf(() => state.when(submitCommand({ requestHash: 'sha256:bbb' })))).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(() => state.when(submitCommand({ requestHash: 'sha256:bbb' }))).toThrow(expect.objectContaining({ status: 422 }));
    });

    it('computes acknowledgeBy from the submission time and the deadline', () => {
      expect(given(clueDecider, submittedEvents()).state.triage?.acknowledgeBy).toBe('2026-03-03T03:15:00.000Z');
    });
  });

  describe('RouteClue', () => {
    it('given a triaged clue, when routed without a duplicate, then ClueReferred to the police unit with a hand-off', () => {
      const [referred] = given(clueDecider, submittedEvents()).when({ type: 'RouteClue' });
      expect(referred.type).toBe('ClueReferred');
      expect(referred.payload).toMatchObject({
        referralId,
        handoff: { from: school, to: yanshanPolice, reason: 'URGENT CHILD_TRAFFICKING clue: child missing; school mandatory report: UNEXPLAINED_DROPOUT' },
        acknowledgeBy: '2026-03-03T03:15:00.000Z',
        summary: '学生连续两周未到校，家长称已送往外地 🙏',
        childMissing: true,
      });
    });

    it('given a triaged clue, when routed as a duplicate, then ClueLinkedAsDuplicate', () => {
      const duplicate = { of: OTHER_CLUE_ID, matchedOn: ['child:小明|2016-05-01'], referralId: referralIdOf(OTHER_CLUE_ID, '532622') };
      const drafts = given(clueDecider, submittedEvents()).when({ type: 'RouteClue', duplicate });
      expect(drafts).toEqual([{ type: 'ClueLinkedAsDuplicate', payload: { clueId: CLUE_ID, duplicateOf: OTHER_CLUE_ID, matchedOn: duplicate.matchedOn, referralId: duplicate.referralId } }]);
    });

    it('given no clue, when routed, then CLUE_NOT_TRIAGED', () => {
      expect(ruleOf(() => given(clueDecider, []).when({ type: 'RouteClue' }))).toBe('CLUE_NOT_TRIAGED');
    });

    it('given a referred clue, when routed again, then CLUE_ALREADY_ROUTED (referred once)', () => {
      expect(ruleOf(() => given(clueDecider, referredEvents()).when({ type: 'RouteClue' }))).toBe('CLUE_ALREADY_ROUTED');
    });

    it('given a triaged clue, when linked to itself, then DUPLICATE_OF_ITSELF', () => {
      const duplicate = { of: CLUE_ID, matchedOn: ['x'], referralId: null };
      expect(ruleOf(() => given(clueDecider, submittedEvents()).when({ type: 'RouteClue', duplicate }))).toBe('DUPLICATE_OF_ITSELF');
    });
  });

  describe('RecordOutcome (feedback)', () => {
    it('given a referred clue, when police accept, then ClueOutcomeRecorded and status ACCEPTED with the case', () => {
      const drafts = given(clueDecider, referredEvents()).when({ type: 'RecordOutcome', referralId, outcome: 'ACCEPTED', caseId: CASE_ID });
      expect(drafts).toEqual([{ type: 'ClueOutcomeRecorded', payload: { clueId: CLUE_ID, referralId, outcome: 'ACCEPTED', caseId: CASE_ID } }]);
      const state = given(clueDecider, [...referredEvents(), ...stored(drafts)]).state;
      expect(statusOf(state)).toBe('ACCEPTED');
      expect(state.caseId).toBe(CASE_ID);
    });

    it('given a clue never referred, when feedback comes, then CLUE_NOT_REFERRED', () => {
      expect(ruleOf(() => given(clueDecider, submittedEvents()).when({ type: 'RecordOutcome', referralId, outcome: 'ACKNOWLEDGED' }))).toBe('CLUE_NOT_REFERRED');
    });

    it("given a referred clue, when feedback names another referral, then UNKNOWN_REFERRAL", () => {
      const other = referralIdOf(OTHER_CLUE_ID, '532622');
      expect(ruleOf(() => given(clueDecider, referredEvents()).when({ type: 'RecordOutcome', referralId: other, outcome: 'ACKNOWLEDGED' }))).toBe('UNKNOWN_REFERRAL');
    });

    it('given a referred clue, when an information request lacks its question, then INFORMATION_REQUEST_INCOMPLETE', () => {
      expect(ruleOf(() => given(clueDecider, referredEvents()).when({ type: 'RecordOutcome', referralId, outcome: 'INFORMATION_REQUESTED' }))).toBe(
        'INFORMATION_REQUEST_INCOMPLETE',
      );
    });

    it('keeps the furthest step: a late escalation does not undo an acknowledgment', () => {
      const acknowledged = stored([{ type: 'ClueOutcomeRecorded', payload: { clueId: CLUE_ID, referralId, outcome: 'ACKNOWLEDGED' } }]);
      const escalated = stored([{ type: 'ClueOutcomeRecorded', payload: { clueId: CLUE_ID, referralId, outcome: 'ESCALATED' } }]);
      expect(statusOf(given(clueDecider, [...referredEvents(), ...acknowledged, ...escalated]).state)).toBe('ACKNOWLEDGED');
      expect(statusOf(given(clueDecider, [...referredEvents(), ...escalated, ...acknowledged]).state)).toBe('ACKNOWLEDGED');
    });
  });

  describe('ProvideInformation', () => {
    const asker = { agencyId: 'wenshan-prefecture-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600' } as const;
    const asked = () => [
      ...referredEvents(),
      ...stored([
        {
          type: 'ClueOutcomeRecorded',
          payload: { clueId: CLUE_ID, referralId, outcome: 'INFORMATION_REQUESTED', requestId: REQUEST_ID, question: '学生的监护人是谁？', by: asker },
        },
      ]),
    ];

    it('given an open request, then the status is INFORMATION_REQUESTED', () => {
      expect(statusOf(given(clueDecider, asked()).state)).toBe('INFORMATION_REQUESTED');
    });

    it('given an open request, when answered, then AdditionalInformationProvided handed to the unit that asked', () => {
      const drafts = given(clueDecider, asked()).when({ type: 'ProvideInformation', requestId: REQUEST_ID, answer: '外婆', from: school });
      expect(drafts).toEqual([
        {
          type: 'AdditionalInformationProvided',
          payload: { clueId: CLUE_ID, referralId, requestId: REQUEST_ID, handoff: { from: school, to: asker, reason: `answer to information request ${REQUEST_ID}` }, answer: '外婆' },
        },
      ]);
      expect(statusOf(given(clueDecider, [...asked(), ...stored(drafts)]).state)).toBe('REFERRED');
    });

    it('given no such request, when answered, then INFORMATION_REQUEST_NOT_FOUND', () => {
      expect(ruleOf(() => given(clueDecider, referredEvents()).when({ type: 'ProvideInformation', requestId: REQUEST_ID, answer: 'x', from: school }))).toBe(
        'INFORMATION_REQUEST_NOT_FOUND',
      );
    });

    it('given an answered request, when answered again, then INFORMATION_REQUEST_ALREADY_ANSWERED', () => {
      const command = { type: 'ProvideInformation' as const, requestId: REQUEST_ID, answer: 'x', from: school };
      const answered = [...asked(), ...stored(given(clueDecider, asked()).when(command))];
      expect(ruleOf(() => given(clueDecider, answered).when(command))).toBe('INFORMATION_REQUEST_ALREADY_ANSWERED');
    });
  });
});
