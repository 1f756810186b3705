import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { consequenceId, newId, StoredEvent, type Actor } from '@atr/contracts';
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

  it('answers each appended event exactly as a read of the stream gives it, every envelope field included', async () => {
    // the envelope is copied field by field (see envelopeOf): a field added to it must not be dropped
    const { appended } = await runner.run('case-1', decider, { kind: 'open' }, { actor, correlationId: 'clue-9', requestId: 'req-1' });
    const [read] = await store.readStream('case-1');
    expect(Object.keys(appended[0]).sort()).toEqual(Object.keys(StoredEvent.shape).sort());
    // recordedAt is the runner's clock (a ManualClock here), the store keeps its own
    expect({ ...appended[0], recordedAt: read.recordedAt }).toEqual(read);
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

  it('decides a probably-new stream without reading it, and on the stream as read when it exists', async () => {
    const read = jest.spyOn(store, 'readStream');
    const first = await runner.run('case-1', decider, { kind: 'open' }, { actor, correlationId: 'clue-9', expectNewStream: true });
    expect(first.appended.map((e) => e.type)).toEqual(['CaseOpened']);
    expect(read).not.toHaveBeenCalled();
    // it exists now: the refused 'no_stream' append leads to a read, and opening again decides nothing
    const again = await runner.run('case-1', decider, { kind: 'open' }, { actor, correlationId: 'clue-9', expectNewStream: true });
    expect({ appended: again.appended, history: again.history.map((e) => e.type), reads: read.mock.calls.length }).toEqual({ appended: [], history: ['CaseOpened'], reads: 1 });
    // a rule broken on the assumed empty stream is checked again on the stream as read
    await runner.run('case-1', decider, { kind: 'solve' }, { actor });
    const closed = await runner.run('case-1', decider, { kind: 'close' }, { actor, expectNewStream: true });
    expect(closed.appended.map((e) => e.type)).toEqual(['CaseClosed']);
    expect((await store.readStream('case-1')).map((e) => e.type)).toEqual(['CaseOpened', 'CaseSolved', 'CaseClosed']);
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
    expect(first[0].eventId).toBe(consequenceId(cause.eventId, 'police:test', '0'));
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

describe('CommandRunner: a stream as it was', () => {
  let store: SqliteEventStore;
  let clock: ManualClock;
  let runner: CommandRunner;
  beforeEach(async () => {
    clock = new ManualClock('2026-03-03T03:00:00.000Z');
    store = SqliteEventStore.open({ path: path.join(mkdtempSync(path.join(tmpdir(), 'runner-asof-')), 'events.db'), now: () => clock.now() });
    runner = new CommandRunner(store, clock);
    await store.append('other-1', [{ eventId: newId(), type: 'CaseSolved', schemaVersion: 1, occurredAt: clock.now().toISOString(), actor, correlationId: 'x', causationId: 'x', payload: { caseId, summary: '别的案子' } }], 'no_stream');
    clock.advanceMinutes(60); // 04:00 opened at position 2
    await runner.run('case-1', decider, { kind: 'open' }, { actor, correlationId: 'clue-9' });
    clock.advanceMinutes(60); // 05:00 solved at position 3
    await runner.run('case-1', decider, { kind: 'solve' }, { actor });
    clock.advanceMinutes(60); // now 06:00
  });
  afterEach(() => store.close());

  it('folds the decider up to a position, with the instant the log reached it', async () => {
    const then = await runner.loadAsOf('case-1', decider, { position: 2 });
    expect(then.state).toEqual({ opened: true, solved: false, closed: false });
    expect(then.past).toEqual({ evaluatedAt: new Date('2026-03-03T04:00:00.000Z'), lastPosition: 2 });
    const head = await runner.loadAsOf('case-1', decider, { position: 99 });
    expect(head.state.solved).toBe(true);
    // the log has not reached position 99: time-dependent fields are judged now
    expect(head.past).toEqual({ evaluatedAt: clock.now(), lastPosition: 3 });
  });

  it('folds the decider up to an instant (events recorded at or before it)', async () => {
    const between = await runner.loadAsOf('case-1', decider, { asOf: '2026-03-03T12:59:59+08:00' });
    expect(between.state).toEqual({ opened: true, solved: false, closed: false });
    expect(between.past).toEqual({ evaluatedAt: new Date('2026-03-03T04:59:59.000Z'), lastPosition: 2 });
    expect((await runner.loadAsOf('case-1', decider, { asOf: '2026-03-03T05:00:00.000Z' })).state.solved).toBe(true);
  });

  it('has an empty history before the stream existed', async () => {
    expect((await runner.loadAsOf('case-1', decider, { position: 1 })).history).toEqual([]);
    expect((await runner.loadAsOf('case-1', decider, { asOf: '2026-03-03T03:59:59.999Z' })).history).toEqual([]);
  });

  it('gives a reader the past only when it may see the record now and then', async () => {
    const opened = (s: State) => s.opened;
    const now = await runner.loadForReader('case-1', decider, undefined, opened);
    expect(now).toMatchObject({ state: { solved: true } });
    expect(now?.past).toBeUndefined();
    expect(await runner.loadForReader('case-1', decider, {}, opened)).toMatchObject({ state: { solved: true } });
    expect(await runner.loadForReader('case-1', decider, { position: 2 }, opened)).toMatchObject({ state: { solved: false }, past: { lastPosition: 2 } });
    // not there yet
    expect(await runner.loadForReader('case-1', decider, { position: 1 }, opened)).toBeUndefined();
    // visible now, not then
    expect(await runner.loadForReader('case-1', decider, { position: 2 }, (s) => s.solved)).toBeUndefined();
    // visible then, not now: the past never shows what the present hides
    expect(await runner.loadForReader('case-1', decider, { position: 2 }, (s) => s.opened && !s.solved)).toBeUndefined();
  });
});
