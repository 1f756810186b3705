import { createHash, randomUUID } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 v5 layout over SHA-1 of namespace and name), so that a consumer
 * handling the same causing event twice derives the same eventIds and its append is a no-op.
 */
export function deterministicId(namespace: string, ...names: string[]): string {
  const hash = createHash('sha1').update(namespace).update('\u0000').update(names.join('\u0000')).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const newId = (): string => randomUUID();
