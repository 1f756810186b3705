// Run in a fresh process by background-thread.spec: a worker thread lowers itself (its CPU, or
// with "io" its disk I/O), then uses libuv's thread pool (as a consumer thread reading files
// would); the main thread prints the policy and nice value of every thread of the process, and
// which threads' I/O is idle.
import { readlinkSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { lowerThreadIoPriority, lowerThreadPriority, type BackgroundPriority } from '../background-thread';
import { idleIoThreads, threadStates, type ThreadState } from './thread-state';

export interface ProbeResult {
  applied: string;
  workerTid: number;
  mainTid: number;
  threads: ThreadState[];
  idleIo: number[];
}

const ownTid = () => Number(readlinkSync('/proc/thread-self').split('/').pop());

if (isMainThread) {
  const worker = new Worker(__filename, { workerData: process.argv[2] as BackgroundPriority });
  worker.once('message', async ({ applied, tid }: { applied: string; tid: number }) => {
    await access(__filename); // the main thread's own use of the pool
    const result: ProbeResult = { applied, workerTid: tid, mainTid: ownTid(), threads: threadStates('self'), idleIo: idleIoThreads('self') };
    process.stdout.write(JSON.stringify(result));
    await worker.terminate();
  });
} else {
  void (async () => {
    const applied = workerData === 'io' ? String(await lowerThreadIoPriority()) : await lowerThreadPriority(workerData as BackgroundPriority);
    await access(__filename);
    // a listener keeps this thread alive (and its tid listed) until the main thread terminates it
    parentPort!.on('message', () => undefined);
    parentPort!.postMessage({ applied, tid: ownTid() });
  })();
}
