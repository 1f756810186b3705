import { LedgerError } from './errors';
import { EMPTY_ROOT, assertHash, assertSize, hashEquals, nodeHash } from './hashing';

/*
 * The two verification algorithms of RFC 9162, step by step as the RFC writes them (§2.1.3.2
 * and §2.1.4.2). Sizes may exceed 2^32, so halving uses Math.floor(x / 2), never `>>`.
 *
 * Decision on bad input: a proof that does not prove what it claims returns false (that is the
 * RFC's "fail the proof verification"); input that is not a proof at all — a hash that is not
 * 32 bytes, a negative or fractional size — throws LedgerError (INVALID_HASH / INVALID_SIZE)
 * naming the argument, so a caller learns it passed the wrong thing instead of "not verified".
 */

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function assertProof(proof: readonly Uint8Array[], what: string): void {
  if (!Array.isArray(proof)) throw new LedgerError('INVALID_HASH', `${what} must be an array of 32-byte hashes`);
  proof.forEach((node, i) => assertHash(node, `${what}[${i}]`));
}

/**
 * RFC 9162 §2.1.3.2: does `proof` show that `leafHash` is leaf number `leafIndex` (0-based) of
 * the tree of `treeSize` leaves whose root is `rootHash`?
 *
 * False when leafIndex ≥ treeSize (so always for treeSize 0), when the proof has too many or
 * too few nodes, or when the recomputed root differs. Throws LedgerError INVALID_HASH /
 * INVALID_SIZE for malformed arguments.
 *
 * Take treeSize and rootHash from the same signed checkpoint: as in the RFC, the size only
 * steers the walk, so a proof for size n can also pass with n's root under a neighbouring size
 * (e.g. leaf 0 of 3 leaves "verifies" as leaf 0 of 4 against the 3-leaf root).
 */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  assertSize(leafIndex, 'leafIndex');
  assertSize(treeSize, 'treeSize');
  assertHash(leafHash, 'leafHash');
  assertHash(rootHash, 'rootHash');
  assertProof(proof, 'proof');

  // 1. leaf_index ≥ tree_size: fail.
  if (leafIndex >= treeSize) return false;
  // 2. fn = leaf_index, sn = tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1;
  // 3. r = hash.
  let r: Uint8Array = leafHash;
  // 4. For each p in the inclusion path:
  for (const p of proof) {
    // a. sn == 0 with nodes left: the proof is too long.
    if (sn === 0) return false;
    // b. r is a right child (LSB(fn) set) or the last node of its level (fn == sn) ...
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // ... and if it was the last node without being a right child, climb the levels where
      // it has no sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    // c. One level up.
    fn = half(fn);
    sn = half(sn);
  }
  // 5. The path must have reached the root (sn == 0) and r must be the root hash.
  return sn === 0 && hashEquals(r, rootHash);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `size2` leaves with root `root2` is an
 * append-only extension of the tree of `size1` leaves with root `root1`?
 *
 * The RFC's algorithm covers 0 < size1 < size2; the other cases are decided so:
 * - size1 > size2: false (a log never shrinks);
 * - size1 == size2: true iff the proof is empty and root1 equals root2 (and, for size 0, both
 *   are the empty root);
 * - size1 == 0: true iff the proof is empty and root1 is the empty root SHA-256() — every tree
 *   extends the empty one.
 * Throws LedgerError INVALID_HASH / INVALID_SIZE for malformed arguments.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  assertSize(size1, 'size1');
  assertSize(size2, 'size2');
  assertHash(root1, 'root1');
  assertHash(root2, 'root2');
  assertProof(proof, 'proof');

  if (size1 > size2) return false;
  if (size1 === size2) {
    return proof.length === 0 && hashEquals(root1, root2) && (size1 > 0 || hashEquals(root1, EMPTY_ROOT));
  }
  if (size1 === 0) return proof.length === 0 && hashEquals(root1, EMPTY_ROOT);

  // 1. An empty path proves nothing.
  if (proof.length === 0) return false;
  // 2. When the old tree is a perfect subtree its root is the proof's implicit first node.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // 3. fn = first - 1, sn = second - 1.
  let fn = size1 - 1;
  let sn = size2 - 1;
  // 4. Skip the levels where the old tree's last node is a right child.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5. Both running roots start from the first node.
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  // 6. For each subsequent node c:
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    // a. sn == 0 with nodes left: the proof is too long.
    if (sn === 0) return false;
    // b. c is a left sibling of both paths ...
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      // ... or a right sibling that only the new tree has.
      sr = nodeHash(sr, c);
    }
    // c. One level up.
    fn = half(fn);
    sn = half(sn);
  }
  // 7. Both roots recomputed, and the path reached the new root.
  return sn === 0 && hashEquals(fr, root1) && hashEquals(sr, root2);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
