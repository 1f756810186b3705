import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deterministicId, type Actor, type StoredEvent } from '@atr/contracts';
import { SqliteEventStore } from '@atr/event-store';
import { ManualClock } from './clock';
import { CommandRunner } from './command-runner';
import { draft, type Decider } from './decider';
import { RuleViolation } from './errors';
import { CaseClosed, CaseOpened, CaseSolved } from '@atr/contracts';

// A toy decider over real case events: close only once solved.
type State = { opened: boolean; solved: boolean; closed: boolean };
type Command = { kind: 'open' } | { kind: 'solve' } | { kind: 'close' };
const caseId = '2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f';
const decider: Decider<State, Command> = {
  initialState: () => ({ opened: false, solved: false, closed: false }),
  evolve: (s, e) => (e.type === 'CaseOpened' ? { ...s, opened: true } : e.type === 'CaseSolved' ? { ...s, solved: true } : e.type === 'CaseClosed' ? { ...s, closed: true } : s),
  decide: (c, s) => {
    if (c.kind === 'open') return s.opened ? [] : [draft(CaseOpened, { caseId, referralId: caseId, clueId: caseId, category: 'CHILD_TRAFFICKING', childCase: true, jurisdiction: '532622', agencyId: 'yanshan-police', title: '砚山县拐卖儿童案' })];
    if (c.kind === 'solve') return [draft(CaseSolved, { caseId, summary: '破案' })];
    if (!s.solved) throw new RuleViolation('CHILD_CASE_CLOSE_REQUIRES_SOLVED', 'a child case cannot close unless solved');
    return [draft(CaseClosed, { caseId, reason: 'done' })];
  },
};
const actor: Actor = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'leader-wang', role: 'CASE_LEADER' };

describe('CommandRunner', () => {
  let store: SqliteEventStore;
  let runner: CommandRunner;
  beforeEach(() => {
    store = SqliteEventStore.open({ path: path.join(mkdtempSync(path.join(tmpdir(), 'runner-')), 'events.db') });
    runner = new CommandRunner(store, new ManualClock());
  });
  afterEach(() => store.close());

  it('appends decided events with journey, causation and current schema version', async () => {
    const opened = await runner.run('case-1', decider, { kind: 'open' }, { actor, correlationId: 'clue-9', requestId: 'req-1' });
    expect(opened.appended[0]).toMatchObject({ type: 'CaseOpened', schemaVersion: 1, correlationId: 'clue-9', causationId: 'req-1', actor });
    const solved = await runner.run('case-1', decider, { kind: 'solve' }, { actor });
    // the journey continues and the cause is the state the decision was made on
    expect(solved.appended[0]).toMatchObject({ correlationId: 'clue-9', causationId: opened.appended[0].eventId });
    expect((await store.readStream('case-1')).map((e) => e.type)).toEqual(['CaseOpened', 'CaseSolved']);
  });

  it('chains the causation of events decided together', async () => {
    const both: Decider<State, Command> = { ...decider, decide: (c, s) => [...decider.decide({ kind: 'open' }, s), ...decider.decide({ kind: 'solve' }, s)] };
    const { appended } = await runner.run('case-1', both, { kind: 'open' }, { actor, correlationId: 'clue-9', requestId: 'req-1' });
    expect(appended.map((e) => e.causationId)).toEqual(['req-1', appended[0].eventId]);
  });

  it('appends nothing when a rule is broken', async () => {
    await runner.run('case-1', decider, { kind: 'open' }, { actor, correlationId: 'clue-9' });
    const head = await store.headPosition();
    await expect(runner.run('case-1', decider, { kind: 'close' }, { actor })).rejects.toThrow(RuleViolation);
    expect(await store.headPosition()).toBe(head);
  });

  it('re-decides on fresh state when another writer got there first', async () => {
    await runner.run('case-1', decider, { kind: 'open' }, { actor, correlationId: 'clue-9' });
    const results = await Promise.all([1, 2, 3, 4].map(() => runner.run('case-1', decider, { kind: 'solve' }, { actor })));
    expect(results.every((r) => r.appended.length === 1)).toBe(true);
    const revisions = (await store.readStream('case-1')).map((e) => e.streamRevision);
    expect(revisions).toEqual([0, 1, 2, 3, 4]);
  });

  it('react derives ids from the cause and ignores a redelivered cause', async () => {
    await runner.run('clue-x', decider, { kind: 'solve' }, { actor, correlationId: 'clue-x' }).catch(() => undefined);
    const cause = (await store.readStream('clue-x'))[0] as StoredEvent;
    const first = await runner.react('case-2', decider, { kind: 'open' }, cause, actor, 'police:test');
    const again = await runner.react('case-2', decider, { kind: 'open' }, cause, actor, 'police:test');
    expect(first).toHaveLength(1);
    expect(first[0].eventId).toBe(deterministicId('police:test', cause.eventId, '0'));
    expect(first[0].causationId).toBe(cause.eventId);
    expect(again).toHaveLength(0);
    expect(await store.readStream('case-2')).toHaveLength(1);
  });

  it('refuses a payload that does not match its event definition before it reaches the store', async () => {
    const bad: Decider<State, Command> = { ...decider, decide: () => [{ type: 'CaseSolved', payload: { caseId: 'not-a-uuid', summary: 1 } }] };
    await expect(runner.run('case-3', bad, { kind: 'solve' }, { actor, correlationId: 'c' })).rejects.toThrow(/invalid CaseSolved payload/);
    expect(await store.headPosition()).toBe(0);
  });
});
