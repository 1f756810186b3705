import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Runs a TypeScript file in a child node process (see register-ts.js); stdout and stderr are piped. */
export function spawnTs(entry: string, args: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, ['--require', join(__dirname, 'register-ts.js'), entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
