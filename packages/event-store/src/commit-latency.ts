/**
 * Upper bounds (ms) of the commit-latency buckets. A durable commit on a healthy disk takes
 * well under a few milliseconds; the upper buckets are where a stalled disk shows.
 */
export const COMMIT_LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 250, 1000] as const;

/**
 * How long the store's durable commits took since it opened: from BEGIN to COMMIT returned, the
 * fsync included. Every answer to an append waits for one, so a slow disk shows here first.
 * Counters only grow: the difference of two snapshots describes the commits between them.
 */
export interface CommitLatency {
  commits: number;
  totalMs: number;
  maxMs: number;
  /** Commits that took at most `le` ms (cumulative, as Prometheus histograms count). */
  buckets: { le: number; count: number }[];
}

/** Records commit durations into fixed buckets: constant memory, a few operations a commit. */
export class CommitLatencyRecorder {
  private commits = 0;
  private totalMs = 0;
  private maxMs = 0;
  private readonly counts = new Array<number>(COMMIT_LATENCY_BUCKETS_MS.length).fill(0);

  record(ms: number): void {
    this.commits++;
    this.totalMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
    const i = COMMIT_LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);
    if (i >= 0) this.counts[i]++;
  }

  snapshot(): CommitLatency {
    let cumulative = 0;
    return {
      commits: this.commits,
      totalMs: round(this.totalMs),
      maxMs: round(this.maxMs),
      buckets: COMMIT_LATENCY_BUCKETS_MS.map((le, i) => ({ le, count: (cumulative += this.counts[i]) })),
    };
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
