import { hash } from 'node:crypto';
import { parse, stringify, v7, validate, version } from 'uuid';

/**
 * A name-based UUID (RFC 9562 v5 layout over SHA-1 of namespace and name), so that a consumer
 * handling the same causing event twice derives the same eventIds and its append is a no-op.
 */
export function deterministicId(namespace: string, ...names: string[]): string {
  return format(sha1(namespace, names), 0x50);
}

/**
 * A fresh id, time-ordered (RFC 9562 v7): ids made one after the other sort together, so the
 * store's unique index on event ids grows at its right edge instead of touching a random page
 * of a large index for every event (a page written to the WAL and again by the checkpoint).
 */
export const newId = (): string => v7();

/**
 * The id of an event a consumer derives from the event that caused it: name-based, so that a
 * redelivered cause gives the same id, and, when the cause is time-ordered, starting with the
 * cause's 48-bit millisecond prefix (RFC 9562 v8, a custom layout), so that consequences sort
 * beside their cause. A cause with an id of another version gets `deterministicId` as before:
 * an event stored before time-ordered ids keeps deriving the ids it always did.
 */
export function consequenceId(causeEventId: string, namespace: string, ...names: string[]): string {
  if (!isTimeOrdered(causeEventId)) return deterministicId(namespace, causeEventId, ...names);
  const b = sha1(namespace, [causeEventId, ...names]);
  b.set(parse(causeEventId).subarray(0, 6)); // the cause's 48-bit Unix time in ms
  return format(b, 0x80);
}

/** v7 ids and the v8 ids consequenceId derives from them both start with a Unix time in ms. */
const isTimeOrdered = (id: string): boolean => validate(id) && (version(id) === 7 || version(id) === 8);

function sha1(namespace: string, names: string[]): Buffer {
  // one-shot: on every submission and every hand-off, a Hash object costs more than the digest
  return Buffer.from(hash('sha1', `${namespace}\u0000${names.join('\u0000')}`, 'buffer').subarray(0, 16));
}

/** Sets the version and the RFC 9562 variant bits. */
function format(b: Buffer, versionBits: number): string {
  b[6] = (b[6] & 0x0f) | versionBits;
  b[8] = (b[8] & 0x3f) | 0x80;
  return stringify(b);
}
