import { COMMIT_LATENCY_BUCKETS_MS, CommitLatencyRecorder } from './commit-latency';

describe('CommitLatencyRecorder', () => {
  it('starts empty, with every bucket at zero', () => {
    const snapshot = new CommitLatencyRecorder().snapshot();
    expect(snapshot).toEqual({ commits: 0, totalMs: 0, maxMs: 0, buckets: COMMIT_LATENCY_BUCKETS_MS.map((le) => ({ le, count: 0 })) });
  });

  it('counts each commit in the first bucket that holds it, cumulatively, and keeps total and max', () => {
    const recorder = new CommitLatencyRecorder();
    for (const ms of [0.4, 1, 1.5, 7, 60, 2000]) recorder.record(ms);
    const { commits, totalMs, maxMs, buckets } = recorder.snapshot();
    expect(commits).toBe(6);
    expect(totalMs).toBeCloseTo(2069.9, 6);
    expect(maxMs).toBe(2000);
    const at = (le: number) => buckets.find((b) => b.le === le)?.count;
    expect(at(1)).toBe(2); // a bound is inclusive
    expect(at(2)).toBe(3);
    expect(at(5)).toBe(3);
    expect(at(10)).toBe(4);
    expect(at(50)).toBe(4);
    expect(at(100)).toBe(5);
    expect(at(1000)).toBe(5); // the 2 s commit is counted only in `commits`
  });

  it('gives snapshots whose difference describes the commits between them', () => {
    const recorder = new CommitLatencyRecorder();
    recorder.record(3);
    const before = recorder.snapshot();
    recorder.record(30);
    recorder.record(0.5);
    const after = recorder.snapshot();
    expect(after.commits - before.commits).toBe(2);
    const over = (s: typeof after, le: number) => s.commits - s.buckets.find((b) => b.le === le)!.count;
    expect(over(after, 20) - over(before, 20)).toBe(1);
  });
});
