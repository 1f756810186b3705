import { SingleBar } from 'cli-progress';

/** A progress bar on stderr for long runs, only when a person watches (stderr is a terminal). */
export function progressBar(label: string, total: number, enabled = process.stderr.isTTY === true) {
  if (!enabled || total < 10_000) return { update: (_n: number) => {}, stop: () => {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left`, stream: process.stderr, hideCursor: true });
  bar.start(total, 0);
  return { update: (n: number) => bar.update(Math.min(n, total)), stop: () => bar.stop() };
}
