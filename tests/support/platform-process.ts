import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const RUNNER = path.join(ROOT, 'apps', 'runner', 'dist', 'main.js');

export interface PlatformProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait: the graceful path. Resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the crash path. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/**
 * Starts the built runner (`node apps/runner/dist/main.js`, exactly what `npm start` runs) on a
 * free port with its own data directory, and waits until it reports ready.
 */
export async function startPlatform(dataDir: string, env: Record<string, string> = {}): Promise<PlatformProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [RUNNER], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/ready`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`platform not ready after 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** A small HTTP client bound to one platform and one API key. */
export function client(baseUrl: string, key: string) {
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(baseUrl + url, {
      method,
      headers: { 'x-api-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: json, headers: res.headers };
  };
}

/** The body of the n-th school report a test submits: a pupil of Yanshan county missing from school. */
export const schoolReport = (n: number) => ({
  location: { divisionCode: '532622', address: '砚山县江那镇' },
  summary: `第${n}号：学生连续两周未到校`,
  schoolName: '砚山县第一小学',
  reason: 'UNEXPLAINED_DROPOUT',
  student: { name: `学生${n}`, birthDate: '2014-05-01', sex: 'F' },
});

/** Polls until `check` returns a truthy value (hand-offs are asynchronous, usually milliseconds). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
