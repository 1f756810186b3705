import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { eventually, startPlatform, type PlatformProcess } from './support/platform-process';

const SCHED_IDLE = 5;
const linux = process.platform === 'linux';
const chrtHere = linux && spawnSync('chrt', ['--version']).status === 0;

/** Policy (field 41) and nice value (field 19) of every thread of a process. */
function threads(pid: number): { tid: number; policy: number; nice: number }[] {
  const out = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ tid: Number(tid), nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

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
    const lowered = await eventually(async () => {
      const found = threads(pid).filter((t) => t.policy !== 0 || t.nice !== 0);
      return found.length >= 2 && found;
    }, 'two lowered threads');
    expect(lowered).toHaveLength(2);
    if (chrtHere) expect(lowered.map((t) => t.policy)).toEqual([SCHED_IDLE, SCHED_IDLE]);
    else expect(lowered.map((t) => t.nice)).toEqual([10, 10]);
    expect(lowered.map((t) => t.tid)).not.toContain(pid); // the HTTP thread
  });

  it('low: the same two threads at nice 10, none SCHED_IDLE', async () => {
    platform = await startPlatform(dataDir, { BACKGROUND_THREADS: 'low' });
    if (!linux) return expect(platform.child.pid).toBeDefined();
    const pid = platform.child.pid!;
    const lowered = await eventually(async () => {
      const found = threads(pid).filter((t) => t.policy !== 0 || t.nice !== 0);
      return found.length >= 2 && found;
    }, 'two lowered threads');
    expect(lowered).toHaveLength(2);
    expect(lowered.map((t) => [t.policy, t.nice])).toEqual([
      [0, 10],
      [0, 10],
    ]);
  });
});
