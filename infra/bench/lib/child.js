'use strict';
// Every case runs in its own Node process: no JIT/GC state leaks from one case into the next,
// and the peak RSS a case reports is its own.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MARK = '@@bench-result ';

/** Runs `node script ...args` and resolves with the object the child passed to `report()`. */
function runChild(script, args = [], { timeoutMs = 120_000, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code === 0 && line) return resolve(JSON.parse(line.slice(MARK.length)));
      reject(new Error(`${path.basename(script)} ${args.join(' ')} failed (code ${code}, signal ${signal}):\n${err.slice(-4000)}${out.slice(-2000)}`));
    });
  });
}

/** In the child: hand the result back to the parent. */
function report(result) {
  process.stdout.write(`${MARK}${JSON.stringify({ ...result, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** A fresh directory under os.tmpdir(), removed at exit. */
function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `atr-bench-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const rssMB = () => process.memoryUsage.rss() / 1048576;
const round = (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

module.exports = { runChild, report, tempDir, rssMB, round };
