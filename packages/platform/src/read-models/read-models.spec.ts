import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InProcessBus } from '@atr/bus';
import { newId, type NewEvent } from '@atr/contracts';
import { SqliteEventStore } from '@atr/event-store';
import type { Projection } from './projection';
import { ReadModels } from './read-models';

const actor = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'u', role: 'OFFICER' } as const;
const solved = (caseId: string): NewEvent => ({
  eventId: newId(), type: 'CaseSolved', schemaVersion: 1, occurredAt: new Date().toISOString(), actor,
  correlationId: caseId, causationId: caseId, payload: { caseId, summary: '破案' },
});

const solvedCount: Projection = {
  name: 'test_solved',
  types: ['CaseSolved'],
  schema: ['CREATE TABLE IF NOT EXISTS test_solved (case_id TEXT PRIMARY KEY, times INTEGER NOT NULL)'],
  tables: { test_solved: 'case_id' },
  apply(db, event) {
    db.prepare('INSERT INTO test_solved VALUES (?, 1) ON CONFLICT(case_id) DO UPDATE SET times = times + 1').run(event.payload.caseId);
  },
};

describe('ReadModels', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'read-models-'));
  const store = SqliteEventStore.open({ path: path.join(dir, 'events.db') });
  const bus = new InProcessBus({ store, checkpoints: store });
  const models = new ReadModels(path.join(dir, 'read.db'), store, bus);
  models.register(solvedCount);
  afterAll(async () => {
    await bus.stop();
    models.close();
    await store.close();
  });

  it('applies each event once even when the bus redelivers', async () => {
    await store.append('case-a', [solved('a'), solved('a')], 'no_stream');
    await store.append('case-b', [solved('b')], 'no_stream');
    await bus.start();
    await bus.settled();
    // simulate a crash that lost the bus checkpoint: everything is delivered again
    await bus.stop();
    await store.save('read-model:test_solved', 0);
    await bus.start();
    await bus.settled();
    expect(models.db.prepare('SELECT * FROM test_solved ORDER BY case_id').all()).toEqual([
      { case_id: 'a', times: 2 },
      { case_id: 'b', times: 1 },
    ]);
  });

  it('replays from position 0 into fresh tables and finds them equal, then finds a tampered row', async () => {
    const ok = await models.verifyReplay();
    expect(ok).toEqual([expect.objectContaining({ projection: 'test_solved', equal: true, eventsApplied: 3 })]);
    models.db.prepare("UPDATE test_solved SET times = 7 WHERE case_id = 'b'").run();
    const [report] = await models.verifyReplay();
    expect(report.equal).toBe(false);
    expect(report.tables[0]).toMatchObject({ table: 'test_solved', equal: false, firstDifference: { index: 1, live: { case_id: 'b', times: 7 }, replay: { case_id: 'b', times: 1 } } });
  });
});
