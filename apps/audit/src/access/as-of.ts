import type { AsOfQuery, StoredEvent } from '@atr/contracts';

// The as-of echo and evaluation instant are the platform's, shared with the owning services' reads.
export { asOfEcho, evaluatedAt } from '@atr/platform';

/** Whether an event was already in the log at the asked point (recordedAt ≤ asOf, or position ≤ position). */
export function recordedBy(at: AsOfQuery): (e: StoredEvent) => boolean {
  if (at.position !== undefined) return (e) => e.globalPosition <= at.position!;
  if (at.asOf !== undefined) {
    const limit = Date.parse(at.asOf);
    return (e) => Date.parse(e.recordedAt) <= limit;
  }
  return () => true;
}
