// Run in a fresh process by background-thread.spec: a worker thread lowers itself, then uses
// libuv's thread pool (as a consumer thread reading files would); the main thread prints the
// policy and nice value of every thread of the process.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { lowerThreadPriority, type BackgroundPriority } from '../background-thread';

export interface ThreadState {
  tid: number;
  policy: number;
  nice: number;
}

export interface ProbeResult {
  applied: string;
  workerTid: number;
  mainTid: number;
  threads: ThreadState[];
}

/** Fields 19 (nice) and 41 (policy) of /proc/<pid>/task/<tid>/stat, counted after the command name. */
function threadState(tid: number): ThreadState | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  } catch {
    return undefined; // a short-lived thread ended between the listing and the read
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { tid, nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
}

const ownTid = () => Number(readlinkSync('/proc/thread-self').split('/').pop());

if (isMainThread) {
  const worker = new Worker(__filename, { workerData: process.argv[2] as BackgroundPriority });
  worker.once('message', async ({ applied, tid }: { applied: string; tid: number }) => {
    await access(__filename); // the main thread's own use of the pool
    const threads = readdirSync('/proc/self/task').flatMap((t) => threadState(Number(t)) ?? []);
    const result: ProbeResult = { applied, workerTid: tid, mainTid: ownTid(), threads };
    process.stdout.write(JSON.stringify(result));
    await worker.terminate();
  });
} else {
  void (async () => {
    const applied = await lowerThreadPriority(workerData as BackgroundPriority);
    await access(__filename);
    // a listener keeps this thread alive (and its tid listed) until the main thread terminates it
    parentPort!.on('message', () => undefined);
    parentPort!.postMessage({ applied, tid: ownTid() });
  })();
}
