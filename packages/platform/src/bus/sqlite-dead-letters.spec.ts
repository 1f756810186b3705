import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InProcessBus } from '@atr/bus';
import { newId } from '@atr/contracts';
import { SqliteEventStore } from '@atr/event-store';
import { SqliteDeadLetterStore } from './sqlite-dead-letters';

describe('dead letters across a restart', () => {
  it('keeps a poison event after the checkpoint moved on, and re-drives it once the handler is fixed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dead-letters-'));
    const store = SqliteEventStore.open({ path: path.join(dir, 'events.db') });
    const actor = { agencyId: 'a', agencyKind: 'PUBLIC', jurisdiction: '532622', userId: 'u', role: 'REPORTER' } as const;
    await store.append('s', [{ eventId: newId(), type: 'Poison', schemaVersion: 1, occurredAt: new Date().toISOString(), actor, correlationId: 'j', causationId: 'r', payload: { 举报: '内容' } }], 'no_stream');

    let fixed = false;
    const handled: string[] = [];
    const handler = async (e: { eventId: string }) => {
      if (!fixed) throw new Error('bug in handler');
      handled.push(e.eventId);
    };
    const first = new SqliteDeadLetterStore(path.join(dir, 'dead.db'));
    const bus = new InProcessBus({ store, checkpoints: store, deadLetters: first, retryDelayMs: 1 });
    bus.consume({ group: 'g', types: ['Poison'] }, handler);
    await bus.start();
    await bus.settled();
    await bus.stop();
    first.close();
    expect(await store.load('g')).toBe(1); // later events were not blocked

    // restart: the dead letter is still there, with its payload
    fixed = true;
    const second = new SqliteDeadLetterStore(path.join(dir, 'dead.db'));
    const again = new InProcessBus({ store, checkpoints: store, deadLetters: second });
    again.consume({ group: 'g', types: ['Poison'] }, handler);
    expect(again.deadLetters()).toEqual([expect.objectContaining({ group: 'g', error: 'Error: bug in handler', event: expect.objectContaining({ payload: { 举报: '内容' } }) })]);
    expect(await again.redrive('g')).toBe(1);
    expect(handled).toHaveLength(1);
    expect(second.load()).toEqual([]);
    second.close();
    await store.close();
  });
});
