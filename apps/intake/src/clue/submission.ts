import { createHash } from 'node:crypto';
import type { AnySubmission, ClueDetails, ClueSource, PayloadOf, ClueSubmitted } from '@atr/contracts';

type Facts = Omit<PayloadOf<typeof ClueSubmitted>, 'clueId' | 'submittedBy' | 'idempotencyKey' | 'requestHash'>;

/** Splits a flat submission body into the clue's common facts and its source-specific details. */
export function factsOf(source: ClueSource, body: AnySubmission): Facts & { sourceReference?: string } {
  const { sourceReference, location, summary, child, childMissing, childInDanger, ...own } = body;
  return {
    ...(sourceReference !== undefined ? { sourceReference } : {}),
    source,
    location,
    summary,
    ...(child !== undefined ? { child } : {}),
    childMissing,
    childInDanger,
    details: { source, ...own } as ClueDetails,
  };
}

/**
 * SHA-256 of the validated body as canonical JSON (keys sorted at every level), with the
 * source: a retry that differs only in key order or omitted defaults hashes the same.
 */
export function requestHashOf(source: ClueSource, body: AnySubmission): string {
  return 'sha256:' + createHash('sha256').update(canonicalJson({ source, body }), 'utf8').digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
