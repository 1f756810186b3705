'use strict';
// Part 3: clue submissions over HTTP against the composed platform (apps/runner) in a child
// process: a steady fixed rate (open loop, ./lib/open-loop) and full load (autocannon).
// Run by run.js:  node infra/bench/http.js <dataDir> <seconds> <rate> <rateSeconds>
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const autocannon = require('autocannon');
const Database = require('better-sqlite3');
const { schoolReportBody } = require('./lib/events');
const { report } = require('./lib/child');
const { openLoop } = require('./lib/open-loop');

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'apps', 'runner', 'dist', 'main.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const RATE_ROUNDS = 3;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function getJson(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Polls GET /ready until 200 and every consumer's lag is 0; returns the last answer and how long it took. */
async function untilCaughtUp(base, timeoutMs) {
  const start = performance.now();
  let last;
  while (performance.now() - start < timeoutMs) {
    try {
      last = await getJson(`${base}/ready`);
      if (last.status === 200 && (last.body?.consumers ?? []).every((c) => c.lag === 0)) break;
    } catch (error) {
      last = { status: 0, body: String(error) };
    }
    await sleep(50);
  }
  return { ...last, seconds: (performance.now() - start) / 1000 };
}

/** The backlog a load run left (events not yet handled by the slowest consumer group) and how long it took to drain. */
async function drain(base, timeoutMs) {
  const backlog = lagOf(await getJson(`${base}/ready`));
  const done = await untilCaughtUp(base, timeoutMs);
  const consumers = done.body?.consumers ?? [];
  return {
    backlogEvents: backlog,
    drainSeconds: done.seconds,
    drained: done.status === 200 && consumers.every((c) => c.lag === 0),
    remainingLag: lagOf(done),
    deadLetters: consumers.reduce((sum, c) => sum + (c.deadLetters ?? 0), 0),
  };
}

function countOf(dataDir, type) {
  const db = new Database(path.join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM events WHERE type = ?').pluck().get(type);
  } finally {
    db.close();
  }
}

/**
 * The server's durable commits between two /ready answers (see EventStore.commitLatency): how
 * many, their mean, how many took over 20 and 50 ms, and the slowest if it was one of them. A
 * run whose slow answers come with slow commits waited for the disk.
 */
function commitsBetween(before, after) {
  const a = before?.body?.commits;
  const b = after?.body?.commits;
  if (!a || !b || b.commits === a.commits) return undefined;
  const over = (s, le) => s.commits - s.buckets.find((bucket) => bucket.le === le).count;
  return {
    commits: b.commits - a.commits,
    meanMs: (b.totalMs - a.totalMs) / (b.commits - a.commits),
    over20ms: over(b, 20) - over(a, 20),
    over50ms: over(b, 50) - over(a, 50),
    maxMs: b.maxMs > a.maxMs ? b.maxMs : undefined,
  };
}

/** Runs `run` and adds the commits the server made meanwhile. */
async function withCommits(base, run) {
  const before = await getJson(`${base}/ready`);
  const result = await run();
  return { ...result, commits: commitsBetween(before, await getJson(`${base}/ready`)) };
}

/** Events not yet handled by the slowest consumer group. */
const lagOf = (ready) => Math.max(0, ...(ready.body?.consumers ?? []).map((c) => c.lag ?? 0));

const peakRssMB = (pid) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
};

/**
 * Event counts by type, and how many acknowledged clues have no ClueSubmitted (must be 0).
 * ClueSubmitted may exceed the 2xx count by the requests in flight when a load run stopped:
 * the server stored them, but autocannon no longer counted their answers.
 */
function inspectStore(dataDir) {
  const db = new Database(path.join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    const types = Object.fromEntries(db.prepare('SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY 2 DESC').raw().all());
    const submitted = new Set(db.prepare("SELECT stream_id FROM events WHERE type = 'ClueSubmitted'").pluck().all());
    let missing = 0;
    for (const clueId of acknowledged) if (!submitted.has(`clue-${clueId}`)) missing++;
    return { types, clueSubmitted: submitted.size, missing };
  } finally {
    db.close();
  }
}

/** Report numbers run on across load runs: every submission is about another child (no duplicates). */
let next = 0;
/** clueIds answered 2xx: each must be in the store. */
const acknowledged = new Set();

/** The i-th submission of a run: a distinct school report under its own Idempotency-Key. */
const submission = (run, i) => ({
  path: '/clues/school-reports',
  headers: { 'content-type': 'application/json', 'x-api-key': 'demo-school-reporter', 'idempotency-key': `bench-${run}-${i}` },
  body: JSON.stringify(schoolReportBody(i)),
});

/** Keeps the clueId of every 2xx answer (each must be stored) and the first few failures. */
function tally(failures) {
  return (status, body) => {
    if (status >= 200 && status <= 299) acknowledged.add(JSON.parse(body).clueId);
    else if (failures.length < 3) failures.push({ status, body: String(body).slice(0, 500) });
  };
}

/**
 * A fixed rate, open loop (./lib/open-loop): `rate` submissions a second for `seconds`, each
 * latency counted from when the submission was due.
 */
async function steady(base, run, { connections, rate, seconds }) {
  const failures = [];
  const { errorSamples, ...result } = await openLoop({ origin: base, connections, rate, seconds, request: () => submission(run, next++), onResponse: tally(failures) });
  return { generator: 'open loop (undici), latency from the time each request was due', connections, overallRate: rate, timeouts: 0, ...result, failures: [...failures, ...errorSamples.map((error) => ({ error }))] };
}

/** One autocannon run as fast as `connections` allow (closed loop: each connection waits for its answer). */
async function load(base, run, options) {
  const failures = [];
  const result = await autocannon({
    url: base,
    ...options,
    requests: [{
      method: 'POST',
      path: '/clues/school-reports',
      setupRequest: (req) => ({ ...req, ...submission(run, next++) }),
      onResponse: tally(failures),
    }],
  });
  const codes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]));
  const ok = result['2xx'];
  return {
    connections: options.connections,
    overallRate: null,
    seconds: result.duration,
    requests: ok + result.non2xx,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: codes,
    requestsPerSec: ok / result.duration,
    latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    failures,
  };
}

async function main() {
  const [dataDir, seconds = '15', rate = '1000', rateSeconds = '10', catchUp = '60'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: http.js <dataDir> [seconds] [rate] [rateSeconds] [catchUpSeconds]');
  const catchUpMs = Number(catchUp) * 1000;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // For investigations: BENCH_PROFILE_DIR=/some/dir makes the server write a .cpuprofile there on
  // exit; BENCH_SERVER_FLAGS adds node flags (e.g. "-r /tmp/experiment.js").
  const flags = [
    ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
    ...(process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean),
  ];
  const child = spawn(process.execPath, [...flags, MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  const keep = (d) => (logs = (logs + d).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    const ready = await untilCaughtUp(base, 60_000);
    if (ready.status !== 200) throw new Error(`GET /ready did not answer 200 within 60 s: ${JSON.stringify(ready)}\n${logs}`);
    const startupSeconds = (performance.now() - started) / 1000;
    const run = randomUUID().slice(0, 8);
    const referred = () => countOf(dataDir, 'ReferralReceived');

    // warm up on the load that is measured next, so the first round does not pay for it
    const warmup = await steady(base, `${run}-warmup`, { connections: 32, rate: Number(rate), seconds: 5 });
    await untilCaughtUp(base, catchUpMs);
    // Consumers (referral router, police inbox, read models) run alongside in the same process:
    // each run is followed by the time they need to work off the backlog it left.
    // The fixed rate runs RATE_ROUNDS times, each followed by the drain of its backlog; the round
    // with the median p99 is the verdict: this machine's speed drifts by a third within minutes.
    const rounds = [];
    for (let i = 0; i < RATE_ROUNDS; i++) {
      const result = await withCommits(base, () => steady(base, `${run}-rate${i}`, { connections: 32, rate: Number(rate), seconds: Number(rateSeconds) }));
      rounds.push({ result, drained: await drain(base, catchUpMs) });
    }
    const median = [...rounds].sort((a, b) => a.result.latencyMs.p99 - b.result.latencyMs.p99)[Math.floor(rounds.length / 2)];
    const fixedRate = median.result;
    const afterRate = median.drained;
    const referredBefore = referred();
    const throughput = await withCommits(base, () => load(base, `${run}-max`, { connections: 32, duration: Number(seconds) }));
    const afterThroughput = await drain(base, catchUpMs);
    const referredAfter = referred();

    const accepted = warmup.ok + throughput.ok + rounds.reduce((sum, r) => sum + r.result.ok, 0);
    const whileRunning = inspectStore(dataDir);
    const serverPeakRssMB = peakRssMB(child.pid);

    const stopAt = performance.now();
    child.kill('SIGTERM');
    const exit = await Promise.race([exited, sleep(30_000).then(() => ({ code: null, signal: 'timeout' }))]);
    const afterExit = inspectStore(dataDir);
    // only the autocannon run stops with answers outstanding: the open-loop runs wait for all of theirs
    const inFlightAtStops = 32;
    report({
      startupSeconds,
      warmup,
      fixedRate,
      fixedRateRounds: rounds.map((r) => ({ ...r.result, drained: r.drained, median: r === median })),
      throughput,
      consumers: {
        afterRate,
        afterThroughput,
        // clues that reached the police inbox per second, from the start of the max-load run until its backlog was drained
        endToEndCluesPerSec: (referredAfter - referredBefore) / (throughput.seconds + afterThroughput.drainSeconds),
      },
      durability: {
        accepted2xx: accepted,
        acknowledgedClueIds: acknowledged.size,
        clueSubmittedWhileRunning: whileRunning.clueSubmitted,
        clueSubmittedAfterExit: afterExit.clueSubmitted,
        missingWhileRunning: whileRunning.missing,
        missingAfterExit: afterExit.missing,
        ok: acknowledged.size === accepted && whileRunning.missing === 0 && afterExit.missing === 0 &&
          afterExit.clueSubmitted >= accepted && afterExit.clueSubmitted - accepted <= inFlightAtStops,
      },
      events: afterExit.types,
      serverPeakRssMB,
      shutdown: { ...exit, seconds: (performance.now() - stopAt) / 1000, ok: exit.code === 0 },
      serverLogTail: exit.code === 0 ? undefined : logs.slice(-2000),
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
