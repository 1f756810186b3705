'use strict';
// Part 2: replay speed against a bare scan of the same file. Run by run.js, one step per process
// (so each reports its own peak RSS):
//   node infra/bench/replay.js fill <dir> <events> | scan <dir> | decode <dir> | project <dir> | verify <dataDir>
const path = require('node:path');
const os = require('node:os');
const { mkdtempSync, rmSync, statSync } = require('node:fs');
const Database = require('better-sqlite3');
const { SqliteEventStore, readAllInBatches } = require('@atr/event-store');
const { readAnyEvent } = require('@atr/contracts');
const { journey, EVENTS_PER_JOURNEY } = require('./lib/events');
const { report, rssMB } = require('./lib/child');

const PASSES = 2; // best of two full passes: the machine is shared, the best pass is the least disturbed
const PROJECT_ROUNDS = 3; // bare scan, then replay, three times: the median round's ratio is the verdict

/** Fills a store with whole journeys (mixed types, valid payloads), many appends per group commit. */
async function fill(dir, total) {
  const store = SqliteEventStore.open({ path: path.join(dir, 'events.db'), synchronous: 'NORMAL' });
  const start = performance.now();
  const journeys = Math.ceil(total / EVENTS_PER_JOURNEY);
  for (let n = 0; n < journeys; n += 200) {
    const appends = [];
    for (let j = n; j < Math.min(n + 200, journeys); j++) {
      for (const a of journey(j)) appends.push(store.append(a.streamId, a.events, a.expected));
    }
    await Promise.all(appends);
  }
  const events = await store.headPosition();
  await store.close();
  const db = new Database(path.join(dir, 'events.db'), { readonly: true });
  const types = Object.fromEntries(db.prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY n DESC').raw().all());
  db.close();
  return { events, seconds: (performance.now() - start) / 1000, fileMB: statSync(path.join(dir, 'events.db')).size / 1048576, types };
}

/** Times `pass` (returning the events it read) PASSES times after a warm-up; keeps the best. */
async function best(pass) {
  await pass(20_000); // warm-up: JIT and page cache
  global.gc?.();
  const baselineRssMB = rssMB();
  const runs = [];
  for (let i = 0; i < PASSES; i++) {
    const start = performance.now();
    const events = await pass(Infinity);
    const seconds = (performance.now() - start) / 1000;
    runs.push({ events, seconds, eventsPerSec: events / seconds });
    global.gc?.();
  }
  const top = runs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
  return { ...top, runs: runs.map((r) => Math.round(r.eventsPerSec)), baselineRssMB };
}

/** One pass of the floor: every row in log order from better-sqlite3, actor and payload parsed. */
function scanPass(select, limit) {
  let n = 0;
  let bytes = 0;
  for (const row of select.iterate()) {
    const actor = JSON.parse(row.actor);
    const payload = JSON.parse(row.payload);
    bytes += actor.role.length + Object.keys(payload).length; // keep the parsed values alive
    if (++n >= limit) break;
  }
  return bytes > 0 ? n : 0;
}

const openScan = (dir) => {
  const db = new Database(path.join(dir, 'events.db'), { readonly: true });
  return { db, select: db.prepare('SELECT * FROM events ORDER BY position') };
};

/** The floor: every row in log order from better-sqlite3, actor and payload parsed. */
async function scan(dir) {
  const { db, select } = openScan(dir);
  const result = await best((limit) => scanPass(select, limit));
  db.close();
  return result;
}

/** The store's read path: readAllInBatches (decodeRow) + readAnyEvent (upcast + zod validation). */
async function decode(dir, batchSize = 1000) {
  const store = SqliteEventStore.open({ path: path.join(dir, 'events.db') });
  const result = await best(async (limit) => {
    let n = 0;
    for await (const batch of readAllInBatches(store, { batchSize, upTo: limit === Infinity ? undefined : limit })) {
      for (const event of batch) readAnyEvent(event);
      n += batch.length;
    }
    return n;
  });
  await store.close();
  return { ...result, batchSize };
}

/** The projections every service registers, taken from the composed platform booted on an empty directory. */
async function serviceProjections() {
  const { NestFactory } = require('@nestjs/core');
  const { loadConfig, READ_MODELS } = require('@atr/platform');
  const { platformRootModule } = require('@atr/runner');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'atr-bench-boot-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEADLINE_CHECK_INTERVAL_MS: '0' });
    const app = await NestFactory.createApplicationContext(platformRootModule(config), { logger: false });
    const projections = app.get(READ_MODELS).list();
    await app.close();
    return projections;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The platform's own replay, ReadModels.verifyReplay(): one pass over the log applying every
 * service's projection into fresh in-memory tables. The live tables are empty here (the log was
 * not written by the services), so their comparison is not meaningful; the live positions are set
 * to the head so the replay covers the whole log.
 *
 * Every replay pass is preceded by a bare-scan pass in this same process, and the ratio of the
 * two is taken per round (like the append rounds): this machine's speed drifts by a third from
 * one minute to the next, which made the ratio of a scan and a replay measured apart a lottery.
 */
async function project(dir) {
  const { ReadModels } = require('@atr/platform');
  const projections = await serviceProjections();
  const store = SqliteEventStore.open({ path: path.join(dir, 'events.db') });
  const head = await store.headPosition();
  const idleBus = { consume() {}, async pause() {}, resume() {} };
  const floor = openScan(dir);
  scanPass(floor.select, 20_000); // warm-up of the scan's JIT and the page cache
  const runs = [];
  let replayed;
  let baselineRssMB;
  for (let i = 0; i < PROJECT_ROUNDS; i++) {
    global.gc?.();
    const scanStart = performance.now();
    const scanned = scanPass(floor.select, Infinity);
    const scanPerSec = scanned / ((performance.now() - scanStart) / 1000);
    const models = new ReadModels(path.join(dir, `live-${i}.db`), store, idleBus);
    for (const p of projections) models.register(p);
    const put = models.db.prepare('INSERT OR REPLACE INTO projection_positions (name, position) VALUES (?, ?)');
    for (const p of projections) put.run(p.name, head);
    global.gc?.();
    baselineRssMB ??= rssMB();
    const start = performance.now();
    const reports = await models.verifyReplay();
    const seconds = (performance.now() - start) / 1000;
    models.close();
    runs.push({ events: head, seconds, eventsPerSec: head / seconds, scanPerSec, ofScan: head / seconds / scanPerSec });
    replayed = reports.map((r) => ({ projection: r.projection, eventsApplied: r.eventsApplied, rows: Object.fromEntries(r.tables.map((t) => [t.table, t.replayRows])) }));
  }
  floor.db.close();
  await store.close();
  const top = runs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
  const ratios = runs.map((r) => r.ofScan).sort((a, b) => a - b);
  return {
    events: top.events,
    seconds: top.seconds,
    eventsPerSec: top.eventsPerSec,
    runs: runs.map((r) => Math.round(r.eventsPerSec)),
    scanRuns: runs.map((r) => Math.round(r.scanPerSec)),
    ofScanRounds: runs.map((r) => r.ofScan),
    ofScanMedian: ratios[Math.floor(ratios.length / 2)],
    baselineRssMB,
    projections: replayed,
  };
}

/**
 * The same check on the store the real services wrote during the HTTP part: the composed platform
 * is booted on that data directory and ReadModels.verifyReplay() rebuilds every read model from
 * position 0 and compares it with the live tables (equal must be true).
 */
async function verify(dataDir) {
  const { NestFactory } = require('@nestjs/core');
  const { loadConfig, READ_MODELS } = require('@atr/platform');
  const { platformRootModule } = require('@atr/runner');
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEADLINE_CHECK_INTERVAL_MS: '0' });
  const app = await NestFactory.createApplicationContext(platformRootModule(config), { logger: false });
  try {
    const models = app.get(READ_MODELS);
    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    const head = db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck().get();
    db.close();
    global.gc?.();
    const baselineRssMB = rssMB();
    const start = performance.now();
    const reports = await models.verifyReplay();
    const seconds = (performance.now() - start) / 1000;
    const upTo = Math.max(0, ...reports.map((r) => r.position));
    return {
      events: upTo,
      head,
      seconds,
      eventsPerSec: upTo / seconds,
      baselineRssMB,
      equal: reports.every((r) => r.equal),
      projections: reports.map((r) => ({
        projection: r.projection,
        eventsApplied: r.eventsApplied,
        equal: r.equal,
        rows: Object.fromEntries(r.tables.map((t) => [t.table, t.liveRows])),
        ...(r.equal ? {} : { firstDifference: r.tables.find((t) => !t.equal)?.firstDifference }),
      })),
    };
  } finally {
    await app.close();
  }
}

async function main() {
  const [step, dir, arg] = process.argv.slice(2);
  const steps = { fill: () => fill(dir, Number(arg)), scan: () => scan(dir), decode: () => decode(dir, arg ? Number(arg) : undefined), project: () => project(dir), verify: () => verify(dir) };
  if (!steps[step] || !dir) throw new Error('usage: replay.js fill|scan|decode|project|verify <dir> [events]');
  report({ step, ...(await steps[step]()) });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
