#!/usr/bin/env node
'use strict';
// Part 4 of `npm run bench` (BENCH_ONLY=kafka), also runnable alone: `node infra/bench/kafka.js`.
// Over a real Kafka broker (KAFKA_BROKERS, or one started from infra/kafka for the run):
//   - raw kafkajs produce: the relay's records, producer settings and batch size, straight from memory (the limit);
//   - relay: the same records as ClueReferred events in a SQLite store, published by intake's relay
//     (checkpointed subscription → Kafka → checkpoint), events/s;
//   - hand-off latency: ClueReferred appended at a steady 500/s with intake's relay in the writing
//     process, police as its own process (BUS=kafka); ReferralReceived.recordedAt −
//     ClueReferred.recordedAt per clue, p50/p99.
// Each measurement runs in its own child process (lib/child.js).
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runChild, report } = require('./lib/child');
const { journey } = require('./lib/events');

const ROOT = path.resolve(__dirname, '..', '..');
const SETTINGS = { events: 30_000, batchSize: 1000, partitions: 4, rate: 500, seconds: 20, warmupSeconds: 3, rounds: 2 };
const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const prefix = (label) => `bench-${label}-${randomBytes(3).toString('hex')}.`;

/** N ClueReferred events of distinct journeys, as the store would hand them to the relay. */
function referrals(count) {
  const recordedAt = new Date().toISOString();
  return Array.from({ length: count }, (_, n) => {
    const [first] = journey(n);
    const referred = first.events[2];
    return { ...referred, streamId: first.streamId, streamRevision: 2, globalPosition: n + 1, recordedAt };
  });
}

/** Child: raw kafkajs produce of the relay's records. */
async function rawChild(brokers, count, batchSize) {
  const { rawProduce, createTopic } = require(path.join(ROOT, 'packages', 'kafka', 'dist'));
  const topic = `${prefix('raw')}clue-referrals`;
  await createTopic(brokers.split(','), topic, SETTINGS.partitions);
  const result = await rawProduce({ brokers: brokers.split(','), topic, events: referrals(count), batchSize });
  report(result);
}

/** Child: intake's relay publishing a store of ClueReferred events, from its first acknowledged batch to the head. */
async function relayChild(brokers, dir, count) {
  const { SqliteEventStore } = require(path.join(ROOT, 'packages', 'event-store', 'dist'));
  const { KafkaBus } = require(path.join(ROOT, 'packages', 'kafka', 'dist'));
  const store = SqliteEventStore.open({ path: path.join(dir, 'events.db') });
  const events = referrals(count);
  for (let i = 0; i < events.length; i += 500) {
    await Promise.all(events.slice(i, i + 500).map((e) => store.append(e.streamId, [{ ...e, streamId: undefined }], 'any')));
  }
  const bus = new KafkaBus({ service: 'intake', store, checkpoints: store, brokers: brokers.split(','), topicPrefix: prefix('relay'), partitions: SETTINGS.partitions });
  await bus.start();
  const relay = async () => (await bus.status()).find((s) => s.group === 'relay:intake');
  let first;
  for (;;) {
    const s = await relay();
    const now = performance.now();
    if (!first && s.checkpoint > 0) first = { at: now, checkpoint: s.checkpoint };
    if (s.checkpoint >= count) {
      const seconds = (now - first.at) / 1000;
      const measuredEvents = count - first.checkpoint;
      await bus.stop();
      await store.close();
      report({ events: count, measuredEvents, seconds, eventsPerSec: measuredEvents / seconds });
      return;
    }
    await sleep(5);
  }
}

/**
 * Child: this process plays intake — it appends ClueReferred events to the store at a steady
 * rate and runs intake's relay in the same process, exactly as the intake service does — while
 * police runs as its own process (BUS=kafka). Hand-off latency per clue from the store:
 * ReferralReceived.recordedAt − ClueReferred.recordedAt. (HTTP, triage and routing come before
 * the hand-off; their end-to-end rate is part 3's.)
 */
async function latencyChild(brokers, dataDir, rate, seconds) {
  const Database = require('better-sqlite3');
  const { SqliteEventStore } = require(path.join(ROOT, 'packages', 'event-store', 'dist'));
  const { KafkaBus } = require(path.join(ROOT, 'packages', 'kafka', 'dist'));
  const { startService } = require(path.join(ROOT, 'infra', 'distributed', 'services.js'));
  const { freePort } = require(path.join(ROOT, 'infra', 'kafka', 'broker.js'));
  const topicPrefix = prefix('latency');
  const store = SqliteEventStore.open({ path: path.join(dataDir, 'events.db') });
  const bus = new KafkaBus({ service: 'intake', store, checkpoints: store, brokers: brokers.split(','), topicPrefix });
  await bus.start();
  const police = await startService('police', { port: await freePort(), env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, KAFKA_TOPIC_PREFIX: topicPrefix, LOG_LEVEL: 'warn' } });
  const total = Number(rate) * Number(seconds);
  try {
    // steady: at every 10 ms tick, append what the rate owes by now (appends of one tick share a commit)
    let written = 0;
    const began = performance.now();
    const beganAt = Date.now();
    const appends = [];
    while (written < total) {
      const owed = Math.min(total, Math.floor(((performance.now() - began) / 1000) * Number(rate)));
      for (; written < owed; written++) {
        const [first] = journey(written);
        appends.push(store.append(first.streamId, [first.events[2]], 'any'));
      }
      await sleep(10);
    }
    await Promise.all(appends);
    const writeSeconds = (performance.now() - began) / 1000;
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    const count = db.prepare("SELECT count(*) FROM events WHERE type = 'ReferralReceived'").pluck();
    const deadline = Date.now() + 180_000;
    while (count.get() < total && Date.now() < deadline) await sleep(100);
    const since = new Date(beganAt + SETTINGS.warmupSeconds * 1000).toISOString();
    const rows = db
      .prepare(
        `SELECT c.recorded_at AS referred, r.recorded_at AS received FROM events r JOIN events c ON c.event_id = r.causation_id
         WHERE r.type = 'ReferralReceived' AND c.type = 'ClueReferred' AND c.recorded_at >= ?`,
      )
      .all(since);
    const referred = db.prepare("SELECT count(*) FROM events WHERE type = 'ClueReferred'").pluck().get();
    const received = count.get();
    db.close();
    const latencies = rows.map((r) => Date.parse(r.received) - Date.parse(r.referred)).sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    report({
      rate: Number(rate),
      seconds: Number(seconds),
      achievedPerSec: total / writeSeconds,
      referred,
      received,
      measured: latencies.length,
      latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] },
    });
  } finally {
    await police.stop();
    await bus.stop();
    await store.close();
  }
}

/** The whole part: a broker (given or started), raw and relay interleaved, then latency. */
async function kafkaPart(logger = log) {
  const broker = require(path.join(ROOT, 'infra', 'kafka', 'broker.js'));
  let brokers = process.env.KAFKA_BROKERS;
  let own;
  if (!brokers) {
    const reason = broker.unavailableReason();
    if (reason) throw new Error(`no Kafka broker: ${reason}`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'atr-bench-kafka-'));
    const started = await broker.start({ dir, ownerPid: process.pid });
    own = { dir, ms: started.ms };
    brokers = started.brokers;
    logger(`kafka: broker started at ${brokers} in ${started.ms} ms`);
  }
  const dirs = [];
  const temp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'atr-bench-relay-'));
    dirs.push(d);
    return d;
  };
  try {
    const { events, batchSize, rounds, rate, seconds } = SETTINGS;
    const raw = [];
    const relay = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(await runChild(__filename, ['raw', brokers, String(events), String(batchSize)], { timeoutMs: 300_000 }));
      logger(`kafka: raw kafkajs produce ${Math.round(raw[round].eventsPerSec)} events/s`);
      relay.push(await runChild(__filename, ['relay', brokers, temp(), String(events)], { timeoutMs: 300_000 }));
      logger(`kafka: relay store → Kafka ${Math.round(relay[round].eventsPerSec)} events/s`);
    }
    const best = (runs) => runs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
    const latency = await runChild(__filename, ['latency', brokers, temp(), String(rate), String(seconds)], { timeoutMs: 420_000 });
    logger(`kafka: hand-off latency at ${rate}/s (achieved ${Math.round(latency.achievedPerSec)}/s): p50 ${latency.latencyMs.p50} ms, p99 ${latency.latencyMs.p99} ms`);
    return {
      settings: { ...SETTINGS, broker: own ? `started from infra/kafka (${own.ms} ms)` : `KAFKA_BROKERS=${brokers}` },
      raw: { ...best(raw), runs: raw.map((r) => r.eventsPerSec) },
      relay: { ...best(relay), runs: relay.map((r) => r.eventsPerSec), ofRaw: best(relay).eventsPerSec / best(raw).eventsPerSec },
      latency,
    };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (own) {
      await broker.stop({ dir: own.dir });
      rmSync(own.dir, { recursive: true, force: true });
    }
  }
}

module.exports = { kafkaPart, SETTINGS };

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'raw') return rawChild(args[0], Number(args[1]), Number(args[2]));
  if (mode === 'relay') return relayChild(args[0], args[1], Number(args[2]));
  if (mode === 'latency') return latencyChild(args[0], args[1], args[2], args[3]);
  const result = await kafkaPart();
  const r = result;
  process.stdout.write(
    [
      '',
      `raw kafkajs produce:   ${Math.round(r.raw.eventsPerSec)} events/s (runs ${r.raw.runs.map(Math.round).join(', ')})`,
      `relay store → Kafka:   ${Math.round(r.relay.eventsPerSec)} events/s = ${Math.round(r.relay.ofRaw * 100)} % of raw (target ≥ 50 %)`,
      `hand-off latency at ${r.latency.rate}/s (achieved ${Math.round(r.latency.achievedPerSec)}/s, ${r.latency.measured} clues, ${r.latency.received}/${r.latency.referred} received): ` +
        `p50 ${r.latency.latencyMs.p50} ms, p90 ${r.latency.latencyMs.p90} ms, p99 ${r.latency.latencyMs.p99} ms, max ${r.latency.latencyMs.max} ms (target p99 < 250 ms)`,
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
