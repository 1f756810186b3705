import { createHash } from 'node:crypto';

/*
 * RFC 9162 §2.1 definitions written literally — recursive, on whole lists, slow — as the
 * oracle the fast tree is checked against. Deliberately shares no code with src/: its own
 * SHA-256 calls, its own split.
 */

const H = (...parts: Uint8Array[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

/** k: the largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) (§2.1.1). */
export function mth(D: readonly Uint8Array[]): Buffer {
  const n = D.length;
  if (n === 0) return H();
  if (n === 1) return H(Buffer.of(0x00), D[0]);
  const k = split(n);
  return H(Buffer.of(0x01), mth(D.slice(0, k)), mth(D.slice(k)));
}

/** PATH(m, D[n]) (§2.1.3.1). */
export function path(m: number, D: readonly Uint8Array[]): Buffer[] {
  const n = D.length;
  if (n === 1) return [];
  const k = split(n);
  return m < k ? [...path(m, D.slice(0, k)), mth(D.slice(k))] : [...path(m - k, D.slice(k)), mth(D.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (§2.1.4.1), for 0 < m < n. */
export function proof(m: number, D: readonly Uint8Array[]): Buffer[] {
  return subproof(m, D, true);
}

function subproof(m: number, D: readonly Uint8Array[], b: boolean): Buffer[] {
  const n = D.length;
  if (m === n) return b ? [] : [mth(D)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, D.slice(0, k), b), mth(D.slice(k))]
    : [...subproof(m - k, D.slice(k), false), mth(D.slice(0, k))];
}

/** SHA-256(0x00 ‖ entry), independently of src/hashing. */
export function referenceLeafHash(entry: Uint8Array): Buffer {
  return H(Buffer.of(0x00), entry);
}
