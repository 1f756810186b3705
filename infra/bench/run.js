#!/usr/bin/env node
'use strict';
// `npm run bench`: event-store appends against raw SQLite, replay against a bare scan, and clue
// submissions over HTTP against the composed platform, in one run. Prints a table and writes
// bench-results/latest.json, latest.md and a line of history.jsonl. A benchmark reports: it
// exits 0 whether or not a target is met (it exits 1 only when it could not measure).
//
// Part 4 (kafka.js): the relay from the store to Kafka against raw kafkajs produce, and the
// hand-off latency intake → police through a real broker (KAFKA_BROKERS, or one it starts).
//
// Environment: BENCH_ONLY=append,replay,http,kafka runs only those parts and writes no files;
// BENCH_PROFILE_DIR / BENCH_SERVER_FLAGS are passed to the HTTP server (see http.js).
const { execFileSync } = require('node:child_process');
const { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runChild } = require('./lib/child');
const { renderTable, renderMarkdown } = require('./lib/report');
const { kafkaPart } = require('./kafka');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'bench-results');
const script = (name) => path.join(__dirname, name);

const SETTINGS = {
  append: { rounds: 12, sliceMs: 250 },
  replay: { events: 200_000 },
  http: { seconds: 15, rate: 1000, rateSeconds: 10, drainSeconds: 60 },
  ledger: { events: Number(process.env.BENCH_LEDGER_EVENTS ?? 1_000_000), workers: 2 },
};
const TARGET_RATIO = 0.5;

const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function ensureBuilt() {
  const needed = ['packages/event-store/dist/index.js', 'packages/contracts/dist/index.js', 'packages/platform/dist/index.js', 'packages/kafka/dist/index.js', 'apps/runner/dist/main.js', 'apps/intake/dist/main.js', 'apps/police/dist/main.js'];
  const missing = needed.filter((f) => !existsSync(path.join(ROOT, f)));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}. Run \`npm run bench\` (its prebench builds) or \`npx turbo run build\`.`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Part 1: raw SQLite and the store interleaved in slices within one process per comparison;
 * events/s over all slices, % of raw as the median of the per-round ratios (robust to bursts).
 */
async function appendPart() {
  const { rounds, sliceMs } = SETTINGS.append;
  const single = await runChild(script('append.js'), ['single', String(rounds), String(sliceMs)]);
  const batch = await runChild(script('append.js'), ['batch', String(rounds), String(sliceMs)]);
  const summary = (runs, name) => {
    const r = runs[name];
    return { eventsPerSec: r.events / r.seconds, events: r.events, seconds: r.seconds, sliceRange: [Math.min(...r.slices), Math.max(...r.slices)], slices: r.slices };
  };
  const versus = (runs, name, rawName) => {
    const ratios = runs[name].slices.map((x, i) => x / runs[rawName].slices[i]);
    return { ...summary(runs, name), ofRaw: median(ratios), ratioRange: [Math.min(...ratios), Math.max(...ratios)] };
  };
  const result = {
    settings: { rounds, sliceMs, durability: 'journal_mode=WAL, synchronous=FULL', payload: 'single: a ClueSubmitted (~1.1 kB JSON); batch: 100 events of 12 journey types' },
    raw: { single: summary(single.runs, 'raw-single'), batch100: summary(batch.runs, 'raw-batch100') },
    store: {
      single: versus(single.runs, 'store-single', 'raw-single'),
      single64: versus(single.runs, 'store-single-64', 'raw-single'),
      batch100: versus(batch.runs, 'store-batch100', 'raw-batch100'),
    },
  };
  const { raw, store } = result;
  for (const [name, r] of Object.entries({ 'raw single': raw.single, 'store single': store.single, 'store single, 64 in flight': store.single64, 'raw batch100': raw.batch100, 'store batch100': store.batch100 })) {
    log(`append ${name}: ${Math.round(r.eventsPerSec)} events/s${r.ofRaw ? ` (${Math.round(r.ofRaw * 100)} % of raw)` : ''}`);
  }
  return result;
}

/** Part 2: one filled file; bare scan, the store's read path, and the platform's replay of every service projection. */
async function replayPart() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atr-bench-replay-'));
  try {
    const fill = await runChild(script('replay.js'), ['fill', dir, String(SETTINGS.replay.events)], { timeoutMs: 180_000 });
    log(`replay: filled ${fill.events} events (${fill.fileMB.toFixed(0)} MB) in ${fill.seconds.toFixed(1)} s`);
    const scan = await runChild(script('replay.js'), ['scan', dir]);
    log(`replay: bare scan ${Math.round(scan.eventsPerSec)} events/s`);
    const decode = await runChild(script('replay.js'), ['decode', dir]);
    log(`replay: readAllInBatches + readAnyEvent ${Math.round(decode.eventsPerSec)} events/s`);
    const project = await runChild(script('replay.js'), ['project', dir], { timeoutMs: 180_000 });
    log(`replay: ReadModels.verifyReplay (service projections) ${Math.round(project.eventsPerSec)} events/s, ${Math.round(100 * project.ofScanMedian)} % of the scan beside it`);
    return {
      fill,
      scan,
      decode: { ...decode, ofScan: decode.eventsPerSec / scan.eventsPerSec },
      project: { ...project, ofScan: project.ofScanMedian },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Part 3: the composed platform in a child process under load (open loop at a fixed rate, autocannon at full load), then replay of what the services wrote. */
async function httpPart() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'atr-bench-http-'));
  try {
    const { seconds, rate, rateSeconds, drainSeconds } = SETTINGS.http;
    const http = await runChild(script('http.js'), [dataDir, String(seconds), String(rate), String(rateSeconds), String(drainSeconds)], { timeoutMs: 420_000 });
    log(`http: ${Math.round(http.throughput.requestsPerSec)} req/s at 32 connections (p99 ${http.throughput.latencyMs.p99} ms); ` +
      `p99 ${http.fixedRate.latencyMs.p99} ms at ${rate} req/s`);
    const verify = await runChild(script('replay.js'), ['verify', dataDir], { timeoutMs: 180_000 });
    log(`http: verifyReplay on the services' store: ${verify.events} events, equal=${verify.equal}, ${Math.round(verify.eventsPerSec)} events/s`);
    return { settings: { ...SETTINGS.http, connections: 32, endpoint: 'POST /clues/school-reports' }, ...http, verifyReplay: verify };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Part 4: the ledger over a log of 1,000,000 events with a signed checkpoint every 10,000:
 * verification next to a bare scan that SHA-256-hashes every stored row, the platform's replay
 * next to a bare scan + JSON.parse with peak RSS, and inclusion proofs at the full size.
 */
async function ledgerPart() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atr-bench-ledger-'));
  const { events, workers } = SETTINGS.ledger;
  try {
    const fill = await runChild(script('ledger.js'), ['fill', dir, String(events)], { timeoutMs: 900_000 });
    log(`ledger: filled ${fill.events} events with ${fill.checkpoints} signed checkpoints (${fill.fileMB.toFixed(0)} MB) in ${fill.seconds.toFixed(1)} s`);
    const hashscan = await runChild(script('ledger.js'), ['hashscan', dir], { timeoutMs: 300_000 });
    log(`ledger: bare scan + SHA-256 of each row ${Math.round(hashscan.eventsPerSec)} events/s`);
    const verify = await runChild(script('ledger.js'), ['verify', dir, String(workers)], { timeoutMs: 300_000 });
    log(`ledger: audit verify (${workers} threads) ${Math.round(verify.eventsPerSec)} events/s (${Math.round((100 * verify.eventsPerSec) / hashscan.eventsPerSec)} % of the limit), peak RSS ${verify.maxRssMB.toFixed(0)} MB`);
    const verifyOneThread = await runChild(script('ledger.js'), ['verify', dir, '1'], { timeoutMs: 300_000 });
    log(`ledger: audit verify (1 thread) ${Math.round(verifyOneThread.eventsPerSec)} events/s`);
    const scan = await runChild(script('replay.js'), ['scan', dir], { timeoutMs: 300_000 });
    log(`ledger: bare scan + JSON.parse ${Math.round(scan.eventsPerSec)} events/s`);
    const project = await runChild(script('replay.js'), ['project', dir], { timeoutMs: 600_000 });
    log(`ledger: ReadModels.verifyReplay ${Math.round(project.eventsPerSec)} events/s (${Math.round(100 * project.ofScanMedian)} % of the scan beside it), peak RSS ${project.maxRssMB.toFixed(0)} MB`);
    const proofs = await runChild(script('ledger.js'), ['proofs', dir], { timeoutMs: 300_000 });
    log(`ledger: inclusion proofs at ${proofs.treeSize}: ${proofs.inclusion.microsEach.toFixed(1)} µs to generate, ${Math.round(proofs.inclusion.verifiedPerSec)} verified/s`);
    return {
      settings: SETTINGS.ledger,
      fill,
      hashscan,
      verify: { ...verify, ofLimit: verify.eventsPerSec / hashscan.eventsPerSec },
      verifyOneThread: { ...verifyOneThread, ofLimit: verifyOneThread.eventsPerSec / hashscan.eventsPerSec },
      scan,
      replay: { ...project, ofScan: project.ofScanMedian },
      proofs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Targets of the issue, each PASS or MISS; checks (must hold) are FAIL when they do not. */
function evaluate({ append, replay, http, kafka, ledger }) {
  const rows = [];
  const ratio = (name, value, of, note) => rows.push({ name, value, target: `≥ ${TARGET_RATIO * 100} % of ${of}`, pass: value >= TARGET_RATIO, unit: '%', note });
  if (append) {
    ratio('store single append, awaited one at a time', append.store.single.ofRaw, 'raw single-row commits');
    ratio('store single append, 64 in flight (group commit)', append.store.single64.ofRaw, 'raw single-row commits');
    ratio('store append of 100 events', append.store.batch100.ofRaw, 'raw 100-row commits');
  }
  if (replay) {
    ratio('replay: readAllInBatches + readAnyEvent', replay.decode.ofScan, 'bare scan', 'store read path + upcast + zod');
    ratio('replay: ReadModels.verifyReplay, all service projections', replay.project.ofScan, 'bare scan');
  }
  if (http) {
    const t = http.throughput;
    const f = http.fixedRate;
    rows.push({ name: 'HTTP submissions/s (32 connections)', value: t.requestsPerSec, target: '≥ 1,000 /s', pass: t.requestsPerSec >= 1000, unit: '/s' });
    rows.push({ name: `HTTP p99 at ${f.overallRate} req/s`, value: f.latencyMs.p99, target: '< 50 ms', pass: f.latencyMs.p99 < 50 && f.requestsPerSec >= 0.98 * f.overallRate, unit: 'ms',
      note: `open loop, latency from when each was due; median of ${http.fixedRateRounds.length} rounds (p99 ${http.fixedRateRounds.map((r) => r.latencyMs.p99).join(', ')} ms, p50 ${f.latencyMs.p50} ms); achieved ${Math.round(f.requestsPerSec)} req/s` });
    rows.push({ name: 'HTTP p99 at full load (32 connections)', value: t.latencyMs.p99, target: '< 50 ms', pass: t.latencyMs.p99 < 50, unit: 'ms' });
    const failed = (r) => r.non2xx + r.errors;
    const non2xx = failed(http.warmup) + failed(t) + http.fixedRateRounds.reduce((sum, r) => sum + failed(r), 0);
    rows.push({ name: 'non-2xx responses and socket errors', value: non2xx, target: '= 0', pass: non2xx === 0, unit: '', check: true });
    rows.push({ name: 'every 2xx clue stored (ClueSubmitted)', value: http.durability.missingAfterExit, target: '0 missing', pass: http.durability.ok, unit: 'missing', check: true,
      note: `${http.durability.accepted2xx} acknowledged, ${http.durability.clueSubmittedAfterExit} stored (the rest were in flight when a run stopped)` });
    rows.push({ name: 'SIGTERM → exit code 0', value: http.shutdown.code, target: '0', pass: http.shutdown.ok, unit: '', check: true });
    const a = http.consumers.afterRate;
    rows.push({ name: `consumer backlog after ${f.seconds.toFixed(0)} s at ${f.overallRate} req/s`, value: a.backlogEvents, target: 'no target in the issue', pass: false, info: true, unit: 'events',
      note: `drained in ${a.drainSeconds.toFixed(1)} s; end to end ${Math.round(http.consumers.endToEndCluesPerSec)} clues/s reach the police inbox` });
    rows.push({ name: 'replay of the services\u2019 store equals live read models', value: http.verifyReplay.equal ? 'equal' : 'DIFFERENT', target: 'equal', pass: http.verifyReplay.equal, unit: '', check: true });
  }
  if (ledger) {
    const n = ledger.fill.events.toLocaleString('en');
    rows.push({ name: `ledger: audit verify of ${n} events (${ledger.settings.workers} threads)`, value: ledger.verify.ofLimit, target: '≥ 70 % of scan + SHA-256', pass: ledger.verify.ofLimit >= 0.7, unit: '%', note: `${Math.round(ledger.verify.eventsPerSec)} events/s; 1 thread: ${Math.round(ledger.verifyOneThread.eventsPerSec)}/s (${Math.round(ledger.verifyOneThread.ofLimit * 100)} %)` });
    rows.push({ name: `ledger: replay of ${n} events (verifyReplay)`, value: ledger.replay.ofScan, target: '≥ 50 % of scan + JSON.parse', pass: ledger.replay.ofScan >= 0.5, unit: '%', note: `${Math.round(ledger.replay.eventsPerSec)} events/s` });
    rows.push({ name: 'ledger: replay peak RSS', value: ledger.replay.maxRssMB, target: '< 500 MB', pass: ledger.replay.maxRssMB < 500, unit: 'MB' });
    rows.push({ name: `ledger: inclusion proof generation at ${n} events`, value: ledger.proofs.inclusion.microsEach / 1000, target: '< 1 ms', pass: ledger.proofs.inclusion.microsEach < 1000, unit: 'ms', note: `${Math.round(ledger.proofs.inclusion.generatedPerSec)}/s generated, ${Math.round(ledger.proofs.inclusion.verifiedPerSec)}/s verified; past sizes ${ledger.proofs.pastSizes.microsEach.toFixed(0)} µs` });
  }
  if (kafka) {
    ratio('relay store → Kafka', kafka.relay.ofRaw, 'raw kafkajs produce', `${Math.round(kafka.relay.eventsPerSec)} vs ${Math.round(kafka.raw.eventsPerSec)} events/s`);
    const l = kafka.latency;
    rows.push({ name: `hand-off p99 intake → police inbox at ${l.rate} clues/s`, value: l.latencyMs.p99, target: '< 250 ms', pass: l.latencyMs.p99 < 250, unit: 'ms',
      note: `p50 ${l.latencyMs.p50} ms; ClueReferred appended at ${Math.round(l.achievedPerSec)}/s` });
    rows.push({ name: 'every clue referred over Kafka received once', value: l.referred - l.received, target: '0 missing', pass: l.referred === l.received, unit: 'missing', check: true, note: `${l.referred} referred, ${l.received} received` });
  }
  return rows.map((r) => ({ ...r, verdict: r.info ? 'INFO' : r.pass ? 'PASS' : r.check ? 'FAIL' : 'MISS' }));
}

function environment() {
  let commit = null;
  let dirty = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    // not a git checkout: the numbers still stand
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    tmpdir: os.tmpdir(),
    commit,
    dirty,
  };
}

async function main() {
  const started = performance.now();
  ensureBuilt();
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
  const wants = (part) => !only || only.has(part);
  const env = environment();
  log(`node ${env.node}, ${env.cpus} CPUs (${env.cpuModel}), load ${env.loadAverageAtStart.join(' ')}`);
  const results = { env };
  const failed = [];
  // a part that cannot be measured does not stop the others; nothing is written then
  for (const [part, run] of [['append', appendPart], ['replay', replayPart], ['http', httpPart], ['kafka', () => kafkaPart(log)], ['ledger', ledgerPart]]) {
    if (!wants(part)) continue;
    try {
      results[part] = await run();
    } catch (error) {
      failed.push(part);
      log(`${part} could not be measured: ${error.stack ?? error}`);
    }
  }
  results.targets = evaluate(results);
  results.env.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  results.env.benchSeconds = (performance.now() - started) / 1000;

  process.stdout.write(renderTable(results));
  if (failed.length) {
    log(`not measured: ${failed.join(', ')}; no files written`);
    process.exitCode = 1;
    return;
  }
  if (only) {
    log('BENCH_ONLY is set: no files written');
    return;
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(OUT, 'latest.md'), renderMarkdown(results));
  const line = {
    date: env.date,
    node: env.node,
    cpus: env.cpus,
    commit: env.commit,
    dirty: env.dirty,
    benchSeconds: Math.round(env.benchSeconds),
    ...Object.fromEntries(results.targets.map((t) => [t.name, { value: typeof t.value === 'number' ? Math.round(t.value * 1000) / 1000 : t.value, verdict: t.verdict }])),
  };
  appendFileSync(path.join(OUT, 'history.jsonl'), `${JSON.stringify(line)}\n`);
  log(`wrote bench-results/latest.json, latest.md, history.jsonl (${Math.round(env.benchSeconds)} s)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
