import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { spawnTs } from './testing/spawn-ts';
import type { ProbeResult } from './testing/background-probe';
import { BACKGROUND_NICE } from './background-thread';
import { SCHED_IDLE, SCHED_OTHER } from './testing/thread-state';

const linux = process.platform === 'linux';
const chrtHere = linux && spawnSync('chrt', ['--version']).status === 0;
const ioniceHere = linux && spawnSync('ionice', ['-p', String(process.pid)]).status === 0;

/** A fresh process, so the worker is the first thread that needs libuv's thread pool. */
async function probe(priority: string): Promise<ProbeResult> {
  const child = spawnTs(join(__dirname, 'testing', 'background-probe.ts'), [priority]);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`probe exited with ${code}: ${err}`);
  return JSON.parse(out) as ProbeResult;
}

describe('lowerThreadPriority', () => {
  jest.setTimeout(30_000);

  it('idle: the calling thread only, and the thread pool it starts keeps the normal policy', async () => {
    const result = await probe('idle');
    if (!linux) {
      expect(result.applied).toBe('unchanged');
      return;
    }
    const worker = result.threads.find((t) => t.tid === result.workerTid)!;
    const others = result.threads.filter((t) => t.tid !== result.workerTid);
    if (chrtHere) {
      expect(result.applied).toBe('idle');
      expect(worker.policy).toBe(SCHED_IDLE);
    } else {
      expect(result.applied).toBe('low');
      expect(worker).toMatchObject({ policy: SCHED_OTHER, nice: BACKGROUND_NICE });
    }
    // the main thread, V8's helpers and libuv's pool (used by the worker after lowering itself)
    expect(others.length).toBeGreaterThan(4);
    expect(others.filter((t) => t.policy !== SCHED_OTHER || t.nice !== 0)).toEqual([]);
  });

  it('low: nice 10 for the calling thread, nothing else changes', async () => {
    const result = await probe('low');
    if (!linux) {
      expect(result.applied).toBe('unchanged');
      return;
    }
    expect(result.applied).toBe('low');
    expect(result.threads.find((t) => t.tid === result.workerTid)).toMatchObject({ policy: SCHED_OTHER, nice: BACKGROUND_NICE });
    expect(result.threads.filter((t) => t.tid !== result.workerTid && t.nice !== 0)).toEqual([]);
  });
});

describe('lowerThreadIoPriority', () => {
  jest.setTimeout(30_000);

  it("puts the calling thread's disk I/O in the idle class, and no other thread's", async () => {
    const result = await probe('io');
    expect(result.applied).toBe(String(ioniceHere));
    // the main thread, V8's helpers and libuv's pool (used by the worker after lowering itself) keep theirs
    expect(result.threads.length).toBeGreaterThan(4);
    expect(result.idleIo).toEqual(ioniceHere ? [result.workerTid] : []);
  });
});
