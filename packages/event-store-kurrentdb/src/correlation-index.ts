/**
 * Where the $by_correlation_id system projection has durably got to. A projection checkpoint is
 * written only after every link it emitted before it is written, so every event at or before the
 * checkpoint is in its `$bc-<correlationId>` stream; events after it are found by a short scan.
 * Statistics show checkpoints as `C:<commit>/P:<prepare>`; anything else counts as "nothing yet".
 */
export function parseCheckpointTag(tag: string | undefined): number {
  const match = /C:(\d+)\/P:(\d+)/.exec(tag ?? '');
  if (!match) return 0;
  const commit = Number(match[1]);
  return Number.isSafeInteger(commit) && commit > 0 ? commit : 0;
}

export const CORRELATION_PROJECTION = '$by_correlation_id';
