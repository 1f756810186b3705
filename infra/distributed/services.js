/**
 * Starting the services of the distributed mode as OS processes: `node apps/<service>/dist/main.js`
 * with BUS=kafka, one port each, all on the same DATA_DIR (one SQLite event store file in WAL
 * mode, so the audit ledger keeps one global order). Used by `npm run start:distributed`, the
 * end-to-end tests over Kafka and the bench.
 */
'use strict';
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
/** In the order a clue travels; audit last (it only reads). */
const SERVICES = ['intake', 'police', 'placement', 'assessment', 'audit'];
const mainOf = (name) => path.join(ROOT, 'apps', name, 'dist', 'main.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts one service and waits for GET /ready = 200 (its consumers joined and caught up once),
 * or with `waitFor: 'listening'` only for GET /health (a restart under load: catching up may
 * take as long as the load lasts).
 * `env` must carry KAFKA_BROKERS, DATA_DIR and whatever else the deployment sets.
 * `stdio: 'pipe'` keeps the output (output()); 'inherit' shows it.
 */
async function startService(name, { port, host = '127.0.0.1', env = {}, stdio = 'pipe', readyTimeoutMs = 120_000, waitFor = 'ready' }) {
  const child = spawn(process.execPath, [mainOf(name)], {
    env: { ...process.env, BUS: 'kafka', PORT: String(port), HOST: host, ...env },
    stdio: stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d) => {
    output += d;
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://${host}:${port}`;
  const handle = {
    name,
    url,
    port,
    child,
    output: () => output,
    /** SIGTERM and wait: the graceful path. Resolves with the exit code. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code;
    },
    /** SIGKILL: the crash path. */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}:\n${output.slice(-5000)}`);
    try {
      const res = await fetch(`${url}/${waitFor === 'listening' ? 'health' : 'ready'}`);
      if (res.status === 200) return handle;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready after ${readyTimeoutMs} ms:\n${output.slice(-5000)}`);
    }
    await sleep(100);
  }
}

/** Starts every service (in parallel: each waits only for the broker and the store). */
async function startServices({ ports, env, stdio, names = SERVICES }) {
  const started = await Promise.allSettled(names.map((name) => startService(name, { port: ports[name], env, stdio })));
  const failed = started.filter((s) => s.status === 'rejected');
  if (failed.length > 0) {
    await Promise.all(started.filter((s) => s.status === 'fulfilled').map((s) => s.value.stop()));
    throw failed[0].reason;
  }
  return Object.fromEntries(started.map((s) => [s.value.name, s.value]));
}

module.exports = { SERVICES, startService, startServices, mainOf, ROOT };
