import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A thread's scheduling as Linux reports it: policy 0 is SCHED_OTHER, 5 SCHED_IDLE. */
export interface ThreadState {
  tid: number;
  policy: number;
  nice: number;
}

export const SCHED_OTHER = 0;
export const SCHED_IDLE = 5;

/**
 * Every thread of a process, from fields 19 (nice) and 41 (policy) of /proc/<pid>/task/<tid>/stat
 * (counted after the command name, which may hold spaces). A thread that ends between the
 * listing and the read is left out.
 */
export function threadStates(pid: number | 'self'): ThreadState[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      return [];
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [{ tid: Number(tid), nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) }];
  });
}

/** The threads of a process whose disk I/O is in the idle class, as `ionice -p` reports it. */
export function idleIoThreads(pid: number | 'self'): number[] {
  return readdirSync(`/proc/${pid}/task`)
    .map(Number)
    .filter((tid) => spawnSync('ionice', ['-p', String(tid)], { encoding: 'utf8' }).stdout?.trim() === 'idle');
}
