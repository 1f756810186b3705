import type { StoredEvent } from '@atr/contracts';
import { DuplicateEventIdError } from '@atr/event-store';
import { newEvent, newEvents, waitFor } from '@atr/event-store/testing/fixtures';
import type { KurrentClient } from './client';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { freshNamespace } from './testing/harness';
import { InMemoryKurrentDb, type InMemoryKurrentDbOptions } from './testing/in-memory-kurrentdb';

// Behaviour of the adapter beyond the port, on the in-memory model of the server.
describe('KurrentDbEventStore', () => {
  const stores: KurrentDbEventStore[] = [];
  const open = (client: KurrentClient, namespace = freshNamespace(), extra = {}) => {
    const store = KurrentDbEventStore.connect({ client, namespace, pollIntervalMs: 20, ...extra });
    stores.push(store);
    return store;
  };
  const server = (options: InMemoryKurrentDbOptions = { projections: true }) => new InMemoryKurrentDb(options);
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('gives sparse log positions, strictly increasing: never consecutive', async () => {
    const store = open(server());
    await store.append('clue-1', newEvents(3), 'no_stream');
    const positions = (await store.readAll()).map((e) => e.globalPosition);
    expect(positions[1]).toBeGreaterThan(positions[0] + 1);
    expect(positions[2]).toBeGreaterThan(positions[1]);
  });

  it('reads records with the stored JSON texts for the ledger: the payload as the client wrote it', async () => {
    const store = open(server());
    const written = [newEvent({ payload: { 乙: '砚山县', a: [1, { z: true }] } }), newEvent({ type: 'OtherHappened' })];
    await store.append('clue-rec', written, 'no_stream');
    const records = await store.readRecords({ after: 0 });
    expect(records.map((r) => r.payload)).toEqual(written.map((e) => JSON.stringify(e.payload)));
    expect(records.map((r) => r.actor)).toEqual(written.map((e) => JSON.stringify(e.actor)));
    expect(records.map((r) => r.globalPosition)).toEqual((await store.readAll()).map((e) => e.globalPosition));
  });

  it('claims each eventId once for its stream, so a retry after a crash between claim and append still stores the batch', async () => {
    const model = server();
    let failNext = true;
    // The append itself fails once (the process died after claiming), the claims stay.
    const flaky: KurrentClient = Object.assign(Object.create(model), {
      appendToStream: (name: string, events: never[], options: never) => {
        if (failNext && name.endsWith('clue-crash')) {
          failNext = false;
          return Promise.reject(new Error('connection reset'));
        }
        return model.appendToStream(name, events, options);
      },
    });
    const store = open(flaky);
    const events = newEvents(2);
    await expect(store.append('clue-crash', events, 'no_stream')).rejects.toThrow('connection reset');
    const calls = model.appendCalls;
    const retry = await store.append('clue-crash', events, 'no_stream');
    expect(retry.alreadyAppended).toBe(false);
    expect(model.appendCalls - calls).toBe(3); // two repeated claims (no-ops) and the append
    expect((await store.readStream('clue-crash')).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    // the claims keep the ids to that stream
    await expect(store.append('clue-other', [events[0]], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
  });

  it('keeps namespaces apart on one server: reads, heads, journeys and subscriptions', async () => {
    const model = server();
    const a = open(model);
    const b = open(model);
    await a.append('clue-1', [newEvent({ type: 'ClueSubmitted', correlationId: 'clue-1' })], 'no_stream');
    await b.append('clue-1', [newEvent({ type: 'ClueSubmitted', correlationId: 'clue-1' })], 'no_stream');
    await b.append('clue-2', [newEvent({ type: 'ClueTriaged', correlationId: 'clue-1' })], 'no_stream');
    expect(await a.readAll()).toHaveLength(1);
    expect(await a.readAll({ types: ['ClueSubmitted'] })).toHaveLength(1);
    expect(await a.readCorrelation('clue-1')).toHaveLength(1);
    expect(await b.readCorrelation('clue-1')).toHaveLength(2);
    expect(await a.headPosition()).toBeLessThan(await b.headPosition());
    const seen: StoredEvent[] = [];
    const sub = a.subscribe({ from: 0, types: ['ClueSubmitted'] }, async (e) => void seen.push(...e));
    await sub.caughtUp;
    expect(seen).toHaveLength(1);
    await sub.stop();
  });

  it('finds a journey’s newest events before the projection linked them, and without projections at all', async () => {
    for (const options of [{ projections: true, linkEvery: 1000 }, { projections: false }]) {
      const store = open(server(options));
      await store.append('clue-9', [newEvent({ correlationId: 'clue-9' })], 'no_stream');
      await store.append('referral-9', newEvents(2, { correlationId: 'clue-9' }), 'no_stream');
      await store.append('clue-10', [newEvent({ correlationId: 'clue-10' })], 'no_stream');
      const journey = await store.readCorrelation('clue-9');
      expect(journey.map((e) => e.streamId)).toEqual(['clue-9', 'referral-9', 'referral-9']);
      expect(await store.readCorrelation('clue-9', { upTo: journey[1].globalPosition })).toEqual(journey.slice(0, 2));
    }
  });

  it('reads linked journey events and the unlinked tail together, each once', async () => {
    const model = server({ projections: true, linkEvery: 4 });
    const store = open(model);
    for (let i = 0; i < 7; i++) await store.append(`case-${i}`, [newEvent({ correlationId: 'clue-j' })], 'no_stream');
    const journey = await store.readCorrelation('clue-j');
    expect(journey).toHaveLength(7);
    expect(new Set(journey.map((e) => e.eventId)).size).toBe(7);
  });

  it('resubscribes a dropped live subscription and delivers what was appended meanwhile', async () => {
    const model = server();
    const store = open(model, freshNamespace(), { pollIntervalMs: 60_000 }); // only the live subscription wakes it
    const seen: StoredEvent[] = [];
    const sub = store.subscribe({ from: 0 }, async (e) => void seen.push(...e));
    await sub.caughtUp;
    await waitFor(() => model.liveSubscriptions === 1, 'the live subscription');
    model.dropSubscriptions();
    await store.append('clue-1', newEvents(2), 'no_stream');
    await waitFor(() => seen.length === 2, 'events appended while the live subscription was down');
    await waitFor(() => model.liveSubscriptions === 1, 'the live subscription to be back');
    await store.append('clue-1', newEvents(1), 1);
    await waitFor(() => seen.length === 3, 'live events after the resubscription');
    await sub.stop();
    expect(model.liveSubscriptions).toBe(0);
  });

  it('keeps checkpoints in KurrentDB, out of the log, with a bounded stream', async () => {
    const model = server();
    const store = open(model);
    expect(await store.load('bus-police')).toBe(0);
    await store.save('bus-police', 12);
    await store.save('bus-police', 34);
    expect(await store.load('bus-police')).toBe(34);
    expect(await open(model, store.namespace).load('bus-police')).toBe(34);
    expect(await store.headPosition()).toBe(0);
    expect(model.log.filter((r) => r.type === '$metadata')).toHaveLength(1);
  });

  it('sets the configured ACL on the streams it creates, once', async () => {
    const model = server();
    const store = open(model, freshNamespace(), { newStreamAcl: { writeRoles: ['svc-police'] } });
    await store.append('case-1', [newEvent()], 'no_stream');
    await store.append('case-1', [newEvent()], 0);
    const meta = model.log.filter((r) => r.type === '$metadata');
    expect(meta).toHaveLength(1);
    expect(meta[0]).toMatchObject({ streamId: `$$${store.namespace}.case-1`, data: { $acl: { $w: ['svc-police'] } } });
  });

  it('refuses to append after close, and to reserved stream ids', async () => {
    const store = open(server());
    await expect(store.append('$ce-clue', [newEvent()], 'any')).rejects.toThrow(/reserved/);
    await store.close();
    await expect(store.append('clue-1', [newEvent()], 'any')).rejects.toThrow(/closed/);
  });
});
