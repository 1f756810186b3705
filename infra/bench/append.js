'use strict';
// Part 1: appends/s of SqliteEventStore against better-sqlite3 inserting the same rows into the
// same schema with the same durability (WAL, synchronous=FULL). Run by run.js, one comparison per
// process, each case on its own fresh file:
//   node infra/bench/append.js single|batch [rounds] [sliceMs]
const { randomUUID } = require('node:crypto');
const { mkdirSync } = require('node:fs');
const path = require('node:path');
const Database = require('better-sqlite3');
const { SqliteEventStore } = require('@atr/event-store');
const { journey } = require('./lib/events');
const { report, tempDir } = require('./lib/child');

const INSERT =
  'INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, occurred_at, ' +
  'recorded_at, correlation_id, causation_id, actor, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** 100 realistic events (journeys cut to length) that appends reuse with fresh eventIds. */
const TEMPLATES = [];
for (let n = 1; TEMPLATES.length < 100; n++) for (const a of journey(n)) TEMPLATES.push(...a.events);
TEMPLATES.length = 100;
const ENCODED = TEMPLATES.map((e) => ({ ...e, actorJson: JSON.stringify(e.actor), payloadJson: JSON.stringify(e.payload) }));
const single = TEMPLATES[0]; // a ClueSubmitted, ~1.1 kB of JSON: what an HTTP submission appends

/** The store's own DDL, as SQLite recorded it in a file the store created. */
function storeSchema(dir) {
  const file = path.join(dir, 'schema.db');
  const store = SqliteEventStore.open({ path: file });
  return store.close().then(() => {
    const db = new Database(file, { readonly: true });
    const ddl = db.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").pluck().all();
    db.close();
    return ddl;
  });
}

function openRaw(dir, ddl) {
  mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  for (const sql of ddl) db.exec(sql);
  return db;
}

/**
 * Cases of one comparison run in turns of `sliceMs` inside one process, round after round, so
 * raw SQLite and the store see the same machine (the disk is shared with other work: a burst of
 * someone else's fsyncs then hits every case of that round, not just one of them).
 */
async function interleaved(cases, rounds, sliceMs) {
  const runs = Object.fromEntries(Object.keys(cases).map((name) => [name, { events: 0, seconds: 0, slices: [] }]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, c] of Object.entries(cases)) {
      const r = await c.slice(round < 0 ? 300 : sliceMs); // round -1: warm-up, not counted
      if (round < 0) continue;
      runs[name].events += r.events;
      runs[name].seconds += r.seconds;
      runs[name].slices.push(r.events / r.seconds);
    }
    global.gc?.();
  }
  for (const c of Object.values(cases)) await c.close();
  return runs;
}

/** A case that runs `step` (resolving to the events it did) sequentially, or with `concurrency` callers. */
function looping(step, close, concurrency = 1) {
  return {
    close,
    async slice(ms) {
      let events = 0;
      const start = performance.now();
      const until = start + ms;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const n = await step(); // not `events += await step()`: that reads `events` before the await
          events += n;
        }
      }));
      return { events, seconds: (performance.now() - start) / 1000 };
    },
  };
}

function rawCase(dir, ddl, name, rowsPerCommit) {
  const db = openRaw(path.join(dir, name), ddl);
  const [begin, insert, commit] = ['BEGIN IMMEDIATE', INSERT, 'COMMIT'].map((s) => db.prepare(s));
  return looping(() => {
    const stream = `clue-${randomUUID()}`;
    const recordedAt = new Date().toISOString();
    begin.run();
    for (let i = 0; i < rowsPerCommit; i++) {
      const e = ENCODED[i];
      insert.run(randomUUID(), stream, i, e.type, e.schemaVersion, e.occurredAt, recordedAt,
        e.correlationId, e.causationId, e.actorJson, e.payloadJson);
    }
    commit.run();
    return rowsPerCommit;
  }, () => db.close());
}

function storeCase(dir, name, eventsPerAppend, concurrency) {
  const store = SqliteEventStore.open({ path: path.join(dir, name, 'events.db') });
  const events = eventsPerAppend === 1 ? [single] : TEMPLATES.slice(0, eventsPerAppend);
  return looping(async () => {
    await store.append(`clue-${randomUUID()}`, events.map((e) => ({ ...e, eventId: randomUUID() })), 'no_stream');
    return events.length;
  }, () => store.close(), concurrency);
}

const comparisons = {
  /** One event per durable commit: raw 1-row transactions; the store awaited one at a time, and with 64 appends in flight. */
  async single(dir, rounds, sliceMs) {
    const ddl = await storeSchema(dir);
    return interleaved({
      'raw-single': rawCase(dir, ddl, 'raw-single', 1),
      'store-single': storeCase(dir, 'store-single', 1, 1),
      'store-single-64': storeCase(dir, 'store-single-64', 1, 64),
    }, rounds, sliceMs);
  },
  /** 100 events of one new stream per durable commit. */
  async batch(dir, rounds, sliceMs) {
    const ddl = await storeSchema(dir);
    return interleaved({
      'raw-batch100': rawCase(dir, ddl, 'raw-batch100', 100),
      'store-batch100': storeCase(dir, 'store-batch100', 100, 1),
    }, rounds, sliceMs);
  },
};

async function main() {
  const [name, rounds = '12', sliceMs = '250'] = process.argv.slice(2);
  if (!comparisons[name]) throw new Error(`usage: append.js ${Object.keys(comparisons).join('|')} [rounds] [sliceMs]`);
  const runs = await comparisons[name](tempDir(name), Number(rounds), Number(sliceMs));
  report({ comparison: name, rounds: Number(rounds), sliceMs: Number(sliceMs), runs });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
