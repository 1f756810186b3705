import * as crypto from 'node:crypto';
import { LedgerError } from './errors';

/** Every hash of the ledger is a SHA-256 digest: 32 bytes. */
export const HASH_SIZE = 32;

/** RFC 9162 §2.1.1 domain separation: leaves and interior nodes never hash alike. */
const LEAF_PREFIX = '\u0000';
const NODE_PREFIX = 0x01;

/** One-shot SHA-256: crypto.hash skips the Hash object createHash makes. */
export const sha256 = (data: Uint8Array | string): Buffer => crypto.hash('sha256', data, 'buffer');

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Buffer = sha256(Buffer.alloc(0));

/** MTH({d}) = SHA-256(0x00 ‖ d): the hash of one leaf, from its entry bytes. */
export function leafHash(entry: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(entry.length + 1);
  input[0] = 0x00;
  input.set(entry, 1);
  return sha256(input);
}

/**
 * The leaf hash of entry bytes given as a string, UTF-8 encoded while hashing: saves a copy
 * on the hot path. The string must be well-formed UTF-16 (JSON.stringify output always is).
 */
export function leafHashOfUtf8(entry: string): Buffer {
  return sha256(LEAF_PREFIX + entry);
}

// Interior nodes are hashed by the million: one reusable 65-byte input, no allocation but the digest.
const nodeInput = Buffer.allocUnsafe(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/** SHA-256(0x01 ‖ left ‖ right): an interior node from its two children. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

/** nodeHash of two adjacent nodes stored back to back: `pair` holds left ‖ right (64 bytes). */
export function nodeHashOfPair(pair: Uint8Array): Buffer {
  nodeInput.set(pair, 1);
  return sha256(nodeInput);
}

/** Throws INVALID_HASH unless `value` is a 32-byte Buffer/Uint8Array; `what` names it in the message. */
export function assertHash(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new LedgerError('INVALID_HASH', `${what} must be a Buffer or Uint8Array of ${HASH_SIZE} bytes`);
  }
  if (value.length !== HASH_SIZE) {
    throw new LedgerError('INVALID_HASH', `${what} is ${value.length} bytes, not ${HASH_SIZE}`);
  }
}

/** Throws INVALID_SIZE unless `value` is a non-negative safe integer. */
export function assertSize(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError('INVALID_SIZE', `${what} must be a non-negative safe integer, got ${String(value)}`);
  }
}

/** Constant-time equality of two hashes (both already checked to be 32 bytes). */
export function hashEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The largest power of two strictly below n (n ≥ 2): where RFC 9162 splits D[n]. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
