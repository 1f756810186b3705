import { durationStats, nearestRank } from './durations';

describe('durationStats (nearest-rank percentiles)', () => {
  it('is empty without values', () => {
    expect(durationStats([])).toEqual({ count: 0, p50Ms: null, p90Ms: null, maxMs: null });
  });

  it('gives the only value for every percentile of one', () => {
    expect(durationStats([600_000])).toEqual({ count: 1, p50Ms: 600_000, p90Ms: 600_000, maxMs: 600_000 });
  });

  it('takes the ⌈p·n⌉-th smallest, whatever the input order', () => {
    // n = 4: p50 → 2nd, p90 → ⌈3.6⌉ = 4th
    expect(durationStats([18_000_000, 60_000, 600_000, 300_000])).toEqual({ count: 4, p50Ms: 300_000, p90Ms: 18_000_000, maxMs: 18_000_000 });
    // n = 2: p50 → 1st (no interpolation), p90 → 2nd
    expect(durationStats([20, 10])).toEqual({ count: 2, p50Ms: 10, p90Ms: 20, maxMs: 20 });
  });

  it('matches a hand count on ten values', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(values, 0.5)).toBe(50);
    expect(nearestRank(values, 0.9)).toBe(90);
    expect(nearestRank(values, 0.91)).toBe(100);
    expect(nearestRank(values, 1)).toBe(100);
  });

  it('does not change its input', () => {
    const values = [3, 1, 2];
    durationStats(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty list or a percentile outside (0, 1]', () => {
    expect(() => nearestRank([], 0.5)).toThrow(/no values/);
    expect(() => nearestRank([1], 0)).toThrow(/percentile/);
    expect(() => nearestRank([1], 1.5)).toThrow(/percentile/);
  });
});
