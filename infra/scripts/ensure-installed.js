#!/usr/bin/env node
// `npm start` and `npm test` must work on a fresh clone: install dependencies when they are
// missing or older than the lockfile, so no step is forgotten at a user's desk.
const { existsSync, statSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  const cmd = existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund';
  console.log(`[ensure-installed] ${cmd}`);
  execSync(cmd, { cwd: root, stdio: 'inherit' });
}
