import Database from 'better-sqlite3';
import { ClueOutcomeRecorded, type DomainEvent } from '@atr/contracts';
import { given } from '@atr/platform';
import { CASE_ID, CLUE_ID, REQUEST_ID, stored, submitCommand } from '../testing/fixtures';
import { clueDecider, referralIdOf } from './clue.decider';
import { cluesProjection } from './clues.projection';
import { statusOf } from './clue.state';

const referralId = referralIdOf(CLUE_ID, '532622');
const outcome = (o: string, extra: Record<string, unknown> = {}) => stored([{ type: ClueOutcomeRecorded.type, payload: { clueId: CLUE_ID, referralId, outcome: o, ...extra } }]);

/** The list's row, and the stream fold's view of the same events: they must agree. */
function both(events: DomainEvent[]) {
  const db = new Database(':memory:');
  for (const statement of cluesProjection.schema) db.exec(statement);
  for (const e of events) cluesProjection.apply(db, e);
  const row = db.prepare('SELECT progress, status FROM intake_clues WHERE clue_id = ?').get(CLUE_ID) as { progress: string; status: string };
  const state = given(clueDecider, events).state;
  db.close();
  return { row, fold: { progress: state.progress, status: statusOf(state) } };
}

describe('the clues projection (GET /clues)', () => {
  const submitted = stored(given(clueDecider, []).when(submitCommand()));
  const referred = [...submitted, ...stored(given(clueDecider, submitted).when({ type: 'RouteClue' }))];

  it.each([
    ['referred', [] as string[], 'REFERRED', 'REFERRED'],
    ['acknowledged', ['ACKNOWLEDGED'], 'ACKNOWLEDGED', 'ACKNOWLEDGED'],
    ['an escalation that arrives after the acknowledgment never moves it back', ['ACKNOWLEDGED', 'ESCALATED'], 'ACKNOWLEDGED', 'ACKNOWLEDGED'],
    ['escalated, then accepted', ['ESCALATED', 'ACCEPTED'], 'ACCEPTED', 'ACCEPTED'],
  ])('%s', (_what, outcomes, progress, status) => {
    const events = [...referred, ...outcomes.flatMap((o) => outcome(o, o === 'ACCEPTED' ? { caseId: CASE_ID } : {}))];
    const { row, fold } = both(events);
    expect(row).toEqual({ progress, status });
    expect(row).toEqual(fold);
  });

  it('shows an open police question on top of the progress, and the progress again once answered', () => {
    const asked = [...referred, ...outcome('ACKNOWLEDGED'), ...outcome('INFORMATION_REQUESTED', { requestId: REQUEST_ID, question: '孩子的监护人是谁？' })];
    expect(both(asked).row).toEqual({ progress: 'ACKNOWLEDGED', status: 'INFORMATION_REQUESTED' });
    expect(both([...asked, ...outcome('ESCALATED')]).row).toEqual({ progress: 'ACKNOWLEDGED', status: 'INFORMATION_REQUESTED' });
    const answered = [...asked, ...stored([{ type: 'AdditionalInformationProvided', payload: { clueId: CLUE_ID, referralId, requestId: REQUEST_ID, answer: '祖母', handoff: { from: { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622' }, to: { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' }, reason: '补充信息' } } }])];
    const { row, fold } = both(answered);
    expect(row).toEqual({ progress: 'ACKNOWLEDGED', status: 'ACKNOWLEDGED' });
    expect(row).toEqual(fold);
  });
});
