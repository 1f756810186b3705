import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BACKGROUND_NICE } from '@atr/event-store';
import { idleIoThreads, SCHED_IDLE, SCHED_OTHER, threadStates } from '@atr/event-store/testing/thread-state';
import { client, eventually, schoolReport, startPlatform, type PlatformProcess } from './support/platform-process';

const linux = process.platform === 'linux';
const chrtHere = linux && spawnSync('chrt', ['--version']).status === 0;
const ioniceHere = linux && spawnSync('ionice', ['-p', String(process.pid)]).status === 0;

/** The threads of the process not at the normal policy and nice value, once there are two. */
const lowered = (pid: number) =>
  eventually(async () => {
    const found = threadStates(pid).filter((t) => t.policy !== SCHED_OTHER || t.nice !== 0);
    return found.length >= 2 && found;
  }, 'two lowered threads');

/**
 * `npm start` runs the consumers and the ledger's hashing on threads that yield the CPU to the
 * HTTP and commit threads (BACKGROUND_THREADS): exactly those two, never the HTTP thread or the
 * threads everyone shares (libuv's pool, V8's helpers).
 */
describe('background threads of npm start', () => {
  jest.setTimeout(60_000);
  let dataDir: string;
  let platform: PlatformProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-threads-'));
  });
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('idle (the default): the consumer and hashing threads are SCHED_IDLE, nothing else is lowered', async () => {
    platform = await startPlatform(dataDir);
    if (!linux) return expect(platform.child.pid).toBeDefined(); // per-thread scheduling is Linux only
    const pid = platform.child.pid!;
    const threads = await lowered(pid);
    expect(threads).toHaveLength(2);
    if (chrtHere) expect(threads.map((t) => t.policy)).toEqual([SCHED_IDLE, SCHED_IDLE]);
    else expect(threads.map((t) => t.nice)).toEqual([BACKGROUND_NICE, BACKGROUND_NICE]);
    expect(threads.map((t) => t.tid)).not.toContain(pid); // the HTTP thread
    // and the disk I/O of the WAL checkpoint thread (started with the commit thread, by the first
    // append) waits behind the commits'
    const submitted = await client(platform.baseUrl, 'demo-school-reporter')('POST', '/clues/school-reports', schoolReport(0), { 'idempotency-key': 'background-threads-e2e' });
    expect(submitted.status).toBe(201);
    if (!ioniceHere) return expect(idleIoThreads(pid)).toEqual([]);
    const idleIo = await eventually(async () => {
      const found = idleIoThreads(pid);
      return found.length > 0 && found;
    }, 'a thread with idle I/O');
    expect(idleIo).toHaveLength(1);
    expect([pid, ...threads.map((t) => t.tid)]).not.toContain(idleIo[0]);
  });

  it('low: the same two threads at nice 10, none SCHED_IDLE', async () => {
    platform = await startPlatform(dataDir, { BACKGROUND_THREADS: 'low' });
    if (!linux) return expect(platform.child.pid).toBeDefined();
    const threads = await lowered(platform.child.pid!);
    expect(threads).toHaveLength(2);
    expect(threads.map((t) => [t.policy, t.nice])).toEqual([
      [SCHED_OTHER, BACKGROUND_NICE],
      [SCHED_OTHER, BACKGROUND_NICE],
    ]);
    expect(idleIoThreads(platform.child.pid!)).toEqual([]);
  });
});
