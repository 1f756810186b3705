import type { DurationStats } from '@atr/contracts';

/**
 * The nearest-rank percentile of ascending values: the ⌈p·n⌉-th smallest (1-based). Always one of
 * the measured values, so a reader can find the referral behind it.
 */
export function nearestRank(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) throw new Error('no values');
  if (!(p > 0 && p <= 1)) throw new Error(`percentile must be in (0, 1], got ${p}`);
  const rank = Math.ceil(p * ascending.length);
  return ascending[Math.min(rank, ascending.length) - 1];
}

/** Count, p50, p90 and max of durations in milliseconds (any order). */
export function durationStats(values: readonly number[]): DurationStats {
  if (values.length === 0) return { count: 0, p50Ms: null, p90Ms: null, maxMs: null };
  const ascending = [...values].sort((a, b) => a - b);
  return {
    count: ascending.length,
    p50Ms: nearestRank(ascending, 0.5),
    p90Ms: nearestRank(ascending, 0.9),
    maxMs: ascending[ascending.length - 1],
  };
}
