import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { setPriority } from 'node:os';

/**
 * How a background thread (consumers, ledger hashing) yields the CPU to the HTTP and commit
 * threads on Linux:
 * - `idle`: SCHED_IDLE. The thread runs only on CPU time no other thread wants, and a thread
 *   that wakes (a request, a commit) takes the core from it at once. It can wait indefinitely
 *   while every core is saturated.
 * - `low`: nice 10, a smaller share than the other threads that never drops to nothing.
 */
export type BackgroundPriority = 'idle' | 'low';

/** The nice value of `low`, and of `idle` where SCHED_IDLE cannot be set. */
export const BACKGROUND_NICE = 10;

/**
 * Puts the calling thread's disk I/O in the idle class (`ionice -c 3`, util-linux) and says
 * whether it did: the block layer serves that thread's requests after everyone else's
 * (mq-deadline serves one that waited 10 s anyway). For the WAL checkpoint thread, whose sync
 * of the database file flushes megabytes of random pages: commits that overlapped one took up to
 * 175 ms. In 9 rounds of 10 s at 1,000 submissions/s each way, commits over 50 ms went from 4
 * to 0 (over 20 ms: 24 and 26). Per thread on Linux; nothing elsewhere.
 */
export async function lowerThreadIoPriority(): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  await access(__filename).catch(() => undefined); // as below: libuv's pool must not inherit it
  try {
    execFileSync('ionice', ['-c', '3', '-p', ownTid()], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false; // no ionice here, or not allowed: the thread keeps its share of the disk
  }
}

/**
 * Lowers the calling thread (never the whole process: Linux keeps the policy and the nice value
 * per thread) and says what it applied. SCHED_IDLE is set with `chrt` from util-linux, since
 * Node has no call for it; without `chrt` the thread falls back to `low`. Elsewhere than Linux
 * both are per process, so nothing changes.
 *
 * Measured at 1,000 submissions/s on 2 cores, with the consumer and hashing threads `idle`
 * instead of nice 10 and 0: the HTTP thread waited for a core 163–176 ms a second instead of
 * 208–209, the commit thread 135–143 instead of 212–217, and nice 19 did not come close.
 */
export async function lowerThreadPriority(priority: BackgroundPriority): Promise<BackgroundPriority | 'unchanged'> {
  if (process.platform !== 'linux') return 'unchanged';
  // libuv's thread pool is shared by the whole process, and its threads are started by the first
  // thread that needs one and inherit its policy: start them (if not yet) before lowering this
  // thread, or the file system work of the HTTP thread would run at idle priority too.
  await access(__filename).catch(() => undefined);
  if (priority === 'idle') {
    try {
      execFileSync('chrt', ['--idle', '--pid', '0', ownTid()], { stdio: 'ignore', timeout: 5000 });
      return 'idle';
    } catch {
      // no chrt here, or not allowed: a nice value is the next best
    }
  }
  try {
    setPriority(BACKGROUND_NICE);
    return 'low';
  } catch {
    return 'unchanged';
  }
}

const ownTid = () => readlinkSync('/proc/thread-self').split('/').pop() ?? '';
