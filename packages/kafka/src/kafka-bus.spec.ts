import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { newId, type NewEvent, type StoredEvent } from '@atr/contracts';
import { SqliteEventStore } from '@atr/event-store';
import { HEADER } from './codec';
import { KafkaBus, type KafkaBusOptions, type TransportStatus } from './kafka-bus';
import { redriveDeadLetterTopic } from './redrive-command';
import { describeWithKafka, publishRaw, readTopic, testBrokers, uniquePrefix } from './testing/kafka';
import { KafkaNames, type TopicCatalogue } from './topics';

const actor = { agencyId: 'a', agencyKind: 'PUBLIC', jurisdiction: '532622', userId: 'u', role: 'REPORTER' } as const;
const event = (type: string, journey: string, n: number): NewEvent => ({
  eventId: newId(),
  type,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  actor,
  correlationId: journey,
  causationId: 'req',
  payload: { n },
});

/** Intake hands TestHandoff to police over one topic; ReferralReceived is police's own (store). */
const catalogue: TopicCatalogue = [
  { name: 'handoffs', types: ['TestHandoff', 'TestNotice'], producer: 'intake', consumers: ['test:inbox', 'test:other'], summary: 'test hand-offs' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describeWithKafka('KafkaBus over a real broker', () => {
  const brokers = testBrokers()!;
  let dir: string;
  let prefix: string;
  let stores: SqliteEventStore[];
  let buses: KafkaBus[];

  /** One "process": its own connection to the shared event store file and its own bus. */
  function service(service: 'intake' | 'police' | 'audit', options: Partial<KafkaBusOptions> = {}) {
    const store = SqliteEventStore.open({ path: path.join(dir, 'events.db'), pollIntervalMs: 10 });
    const bus = new KafkaBus({ service, store, checkpoints: store, brokers, topicPrefix: prefix, catalogue, partitions: 3, retryDelayMs: 10, maxAttempts: 3, ...options });
    stores.push(store);
    buses.push(bus);
    return { store, bus };
  }

  const appendAll = async (store: SqliteEventStore, events: NewEvent[]) => {
    for (const e of events) await store.append(`clue-${e.eventId}`, [e], 'no_stream');
  };
  const statusOf = async (bus: KafkaBus, group: string) => (await bus.status()).find((s) => s.group === group) as TransportStatus;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kafka-bus-'));
    prefix = uniquePrefix();
    stores = [];
    buses = [];
  });
  afterEach(async () => {
    for (const bus of buses) await bus.stop().catch(() => {});
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relays a service’s hand-offs in log order, keyed by journey, and resumes from its checkpoint', async () => {
    const intake = service('intake');
    const journeys = ['j1', 'j2', 'j3', 'j4'];
    const first = Array.from({ length: 40 }, (_, i) => event(i % 5 === 0 ? 'Unrelated' : 'TestHandoff', journeys[i % 4], i));
    await appendAll(intake.store, first);
    await intake.bus.start();
    await until(async () => (await statusOf(intake.bus, 'relay:intake')).lag === 0, 'the relay to catch up');
    expect(await statusOf(intake.bus, 'relay:intake')).toMatchObject({ transport: 'relay', checkpoint: 40, caughtUp: true, running: true });
    await intake.bus.stop();

    // published after a restart: only what is new
    const second = Array.from({ length: 10 }, (_, i) => event('TestHandoff', journeys[i % 4], 100 + i));
    await appendAll(intake.store, second);
    const again = service('intake');
    await again.bus.start();
    await until(async () => (await statusOf(again.bus, 'relay:intake')).checkpoint === 50, 'the relay to publish the rest');

    const expected = [...first, ...second].filter((e) => e.type === 'TestHandoff');
    const records = await readTopic(brokers, `${prefix}handoffs`, expected.length);
    expect(records).toHaveLength(expected.length); // no duplicate after the clean restart
    // one journey = one partition, in the order appended
    for (const journey of journeys) {
      const mine = records.filter((r) => r.key === journey);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      const positions = mine.sort((a, b) => Number(a.offset) - Number(b.offset)).map((r) => Number(r.headers[HEADER.position]));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(mine.map((r) => (JSON.parse(r.value!) as StoredEvent).eventId)).toEqual(expected.filter((e) => e.correlationId === journey).map((e) => e.eventId));
    }
  });

  it('delivers received hand-offs to a consumer group, each journey in order, and own events from the store', async () => {
    const intake = service('intake');
    const police = service('police');
    const received: StoredEvent[] = [];
    const own: StoredEvent[] = [];
    police.bus.consume({ group: 'test:inbox', types: ['TestHandoff'], concurrency: 8 }, async (e) => void received.push(e));
    police.bus.consume({ group: 'read-model:test', types: ['ReferralReceived'] }, async (e) => void own.push(e));
    await Promise.all([intake.bus.start(), police.bus.start()]);
    const events = Array.from({ length: 60 }, (_, i) => event('TestHandoff', `j${i % 6}`, i));
    await appendAll(intake.store, events);
    await police.store.append('referral-1', [event('ReferralReceived', 'j0', 0)], 'no_stream');
    await until(() => received.length >= 60 && own.length === 1, 'every hand-off and the own event');
    await sleep(300);
    expect(received.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    for (let j = 0; j < 6; j++) {
      const mine = received.filter((e) => e.correlationId === `j${j}`).map((e) => e.payload.n);
      expect(mine).toEqual(events.filter((e) => e.correlationId === `j${j}`).map((e) => e.payload.n));
    }
    const status = await police.bus.status();
    expect(status.find((s) => s.group === 'read-model:test')).toMatchObject({ transport: 'store', lag: 0 });
    await until(async () => (await statusOf(police.bus, 'test:inbox')).lag === 0, 'the group lag to reach 0');
    expect(await statusOf(police.bus, 'test:inbox')).toMatchObject({ transport: 'kafka', checkpoint: 60, caughtUp: true, running: true, deadLetters: 0 });
  });

  it('retries a transient failure, dead-letters a poison event with its origin, and later events of other journeys still flow', async () => {
    const intake = service('intake');
    const police = service('police');
    let flaky = 0;
    let fixed = false;
    const seen: number[] = [];
    police.bus.consume({ group: 'test:inbox', types: ['TestHandoff'], concurrency: 4 }, async (e) => {
      const n = e.payload.n as number;
      if (n === 1 && flaky++ < 2) throw new Error('database busy');
      if (n === 2 && !fixed) throw new Error('poison: cannot handle this referral');
      seen.push(n);
    });
    await Promise.all([intake.bus.start(), police.bus.start()]);
    await appendAll(intake.store, [event('TestHandoff', 'a', 1), event('TestHandoff', 'b', 2)]);
    await appendAll(intake.store, Array.from({ length: 20 }, (_, i) => event('TestHandoff', `later-${i}`, 10 + i)));
    await until(() => seen.length >= 21, 'the retried event and the later ones');
    expect(seen).toContain(1);
    expect(seen).not.toContain(2);
    expect(flaky).toBe(3);

    const [letter] = await readTopic(brokers, new KafkaNames(prefix).deadLetterTopic('test:inbox'), 1);
    expect(letter.headers).toMatchObject({
      [HEADER.group]: 'test:inbox',
      [HEADER.attempts]: '3',
      [HEADER.topic]: `${prefix}handoffs`,
      [HEADER.type]: 'TestHandoff',
    });
    expect(letter.headers[HEADER.error]).toMatch(/poison/);
    expect(Number(letter.headers[HEADER.partition])).toBeGreaterThanOrEqual(0);
    expect(Number(letter.headers[HEADER.offset])).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(letter.value!).payload.n).toBe(2);
    expect(police.bus.deadLetters().map((d) => d.event.payload.n)).toEqual([2]);
    await until(async () => (await statusOf(police.bus, 'test:inbox')).lag === 0, 'the partition to move past the poison event');
    expect(await statusOf(police.bus, 'test:inbox')).toMatchObject({ deadLetters: 1 });

    // after the fix, the bus re-drives it through the handler
    fixed = true;
    expect(await police.bus.redrive('test:inbox')).toBe(1);
    expect(seen.filter((n) => n === 2)).toHaveLength(1);
    expect(police.bus.deadLetters()).toEqual([]);
    expect(await statusOf(police.bus, 'test:inbox')).toMatchObject({ deadLetters: 0 });
    expect(await police.bus.redrive('test:inbox')).toBe(0); // nothing left to re-drive
  });

  it('dead-letters an unreadable record at once, and the re-drive command sends dead letters back to their group only', async () => {
    const intake = service('intake');
    const police = service('police');
    let fixed = false;
    const inbox: number[] = [];
    const other: number[] = [];
    police.bus.consume({ group: 'test:inbox', types: ['TestHandoff'], concurrency: 4 }, async (e) => {
      if (e.payload.n === 7 && !fixed) throw new Error('bug in the inbox');
      inbox.push(e.payload.n as number);
    });
    police.bus.consume({ group: 'test:other', types: ['TestHandoff'] }, async (e) => void other.push(e.payload.n as number));
    await Promise.all([intake.bus.start(), police.bus.start()]);
    await publishRaw(brokers, `${prefix}handoffs`, [{ key: 'x', value: '{"not": "an event"}', headers: { [HEADER.type]: 'TestHandoff' } }]);
    await appendAll(intake.store, [event('TestHandoff', 'j', 7), event('TestHandoff', 'k', 8)]);
    await until(() => inbox.includes(8) && other.length === 2, 'the healthy events');
    await until(async () => (await statusOf(police.bus, 'test:inbox')).deadLetters === 2, 'two dead letters');
    const letters = await readTopic(brokers, new KafkaNames(prefix).deadLetterTopic('test:inbox'), 2);
    const unreadable = letters.find((l) => l.key === 'x')!;
    expect(unreadable.headers[HEADER.attempts]).toBe('1');
    expect(unreadable.headers[HEADER.error]).toMatch(/not a stored event/);

    fixed = true;
    const republished = await redriveDeadLetterTopic({ brokers, topicPrefix: prefix, group: 'test:inbox' });
    expect(republished).toBe(2);
    await until(() => inbox.includes(7), 'the re-driven event in its group');
    // the unreadable record fails again and returns to the dead-letter topic; the other group never saw the re-drive
    await until(async () => (await statusOf(police.bus, 'test:inbox')).deadLetters === 1, 'the unreadable record back in the dead-letter topic');
    await sleep(500);
    expect(other.sort()).toEqual([7, 8]);
    expect(inbox.filter((n) => n === 7)).toHaveLength(1);
  });

  it('reports consumer lag while a group is stopped, and catches up from its committed offsets', async () => {
    const intake = service('intake');
    const police = service('police');
    const seen: string[] = [];
    police.bus.consume({ group: 'test:inbox', types: ['TestHandoff'], concurrency: 4 }, async (e) => void seen.push(e.eventId));
    await Promise.all([intake.bus.start(), police.bus.start()]);
    await appendAll(intake.store, Array.from({ length: 5 }, (_, i) => event('TestHandoff', `j${i}`, i)));
    await until(() => seen.length === 5, 'the first five');
    await until(async () => (await statusOf(police.bus, 'test:inbox')).lag === 0, 'the commit of the first five');
    await police.bus.pause('test:inbox');
    await appendAll(intake.store, Array.from({ length: 7 }, (_, i) => event('TestHandoff', `j${i}`, 10 + i)));
    await until(async () => (await statusOf(intake.bus, 'relay:intake')).lag === 0, 'the relay');
    await until(async () => (await statusOf(police.bus, 'test:inbox')).lag === 7, 'a lag of 7');
    expect(await statusOf(police.bus, 'test:inbox')).toMatchObject({ running: false, checkpoint: 5 });
    police.bus.resume('test:inbox');
    await until(() => seen.length >= 12, 'the other seven');
    await police.bus.settled();
    expect(await statusOf(police.bus, 'test:inbox')).toMatchObject({ lag: 0, checkpoint: 12 });
    expect(new Set(seen).size).toBe(12);
  });

  it('lets the audit service read every service’s events from the store: oversight, not hand-offs', async () => {
    const audit = service('audit');
    const seen: string[] = [];
    audit.bus.consume({ group: 'read-model:test_oversight', types: ['ClueSubmitted', 'ReferralReceived'] }, async (e) => void seen.push(e.type));
    await audit.bus.start();
    await appendAll(audit.store, [event('ClueSubmitted', 'clue-a', 1), event('ReferralReceived', 'clue-a', 2)]);
    await audit.bus.settled();
    expect(seen).toEqual(['ClueSubmitted', 'ReferralReceived']);
    expect(await statusOf(audit.bus, 'read-model:test_oversight')).toMatchObject({ transport: 'store' });
  });

  it('refuses a group that mixes own and received events, or that the topic catalogue does not name', () => {
    const police = service('police');
    expect(() => police.bus.consume({ group: 'test:inbox', types: ['TestHandoff', 'ReferralReceived'] }, async () => {})).toThrow(/mixes events written by police/);
    expect(() => police.bus.consume({ group: 'test:unknown', types: ['TestHandoff'] }, async () => {})).toThrow(/not a documented consumer of topic handoffs/);
    expect(() => police.bus.consume({ group: 'test:x', types: ['ClueSubmitted'] }, async () => {})).toThrow(/no Kafka topic carries it/);
  });
});
