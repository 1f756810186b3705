import fc from 'fast-check';
import { LedgerError } from './errors';
import { EMPTY_ROOT } from './hashing';
import { MerkleTree } from './merkle-tree';
import { mth, path, proof as referenceProof, referenceLeafHash } from './testing/rfc9162-reference';
import { CONSISTENCY, CT_ENTRIES, INCLUSION, ROOTS, evaluate, hex } from './testing/small-trees';
import { verifyConsistency, verifyInclusion } from './verify';

const treeOf = (entries: readonly Uint8Array[]) => MerkleTree.fromLeafHashes(entries.map(referenceLeafHash));
const hexes = (hashes: readonly Uint8Array[]) => hashes.map(hex);
const entriesOf = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`event ${i}`));

describe('MerkleTree on hand-worked trees of 0–8 leaves', () => {
  const tree = treeOf(CT_ENTRIES);

  it('has the hand-worked root at every size, now and as of every past size', () => {
    for (let n = 0; n <= 8; n++) {
      expect([n, hex(treeOf(CT_ENTRIES.slice(0, n)).root())]).toEqual([n, hex(evaluate(ROOTS[n]))]);
      expect([n, hex(tree.rootAt(n))]).toEqual([n, hex(evaluate(ROOTS[n]))]);
    }
    expect(new MerkleTree().root()).toEqual(EMPTY_ROOT);
  });

  it('generates every hand-worked inclusion proof', () => {
    for (let n = 1; n <= 8; n++) {
      for (let m = 0; m < n; m++) {
        expect([n, m, hexes(tree.inclusionProof(m, n))]).toEqual([n, m, hexes(INCLUSION[n][m].map(evaluate))]);
      }
    }
  });

  it('generates every hand-worked consistency proof, and empty ones when there is nothing to prove', () => {
    for (let n = 2; n <= 8; n++) {
      for (let m = 1; m < n; m++) {
        expect([m, n, hexes(tree.consistencyProof(m, n))]).toEqual([m, n, hexes(CONSISTENCY[n][m].map(evaluate))]);
      }
    }
    expect(tree.consistencyProof(0, 5)).toEqual([]);
    expect(tree.consistencyProof(5, 5)).toEqual([]);
    expect(tree.consistencyProof(0, 0)).toEqual([]);
    expect(tree.consistencyProof(3)).toEqual(CONSISTENCY[8][3].map(evaluate));
  });

  it('returns copies: changing a returned hash cannot change the tree', () => {
    const root = tree.root();
    tree.inclusionProof(0)[0].fill(0);
    tree.leafHash(1).fill(0);
    tree.rootAt(1).fill(0);
    tree.root().fill(0);
    expect(tree.root()).toEqual(root);
    expect(hexes(tree.inclusionProof(0))).toEqual(hexes(INCLUSION[8][0].map(evaluate)));
    expect(tree.rootAt(1)).toEqual(evaluate('a'));
  });

  it('refuses sizes and indexes it does not hold, and leaves that are not hashes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as LedgerError).code;
      }
      return 'no error';
    };
    expect(code(() => tree.rootAt(9))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.inclusionProof(8))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.inclusionProof(3, 3))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.inclusionProof(0, 9))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.inclusionProof(0, 0))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.consistencyProof(5, 4))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.consistencyProof(1, 9))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.leafHash(8))).toBe('SIZE_OUT_OF_RANGE');
    expect(code(() => tree.rootAt(-1))).toBe('INVALID_SIZE');
    expect(code(() => tree.inclusionProof(0.5))).toBe('INVALID_SIZE');
    expect(code(() => new MerkleTree().append(Buffer.alloc(20)))).toBe('INVALID_HASH');
  });
});

describe('MerkleTree against the literal RFC definitions', () => {
  it('agrees on every root, inclusion proof and consistency proof of trees up to 40 leaves', () => {
    const entries = entriesOf(40);
    const tree = treeOf(entries);
    for (let n = 0; n <= 40; n++) {
      const D = entries.slice(0, n);
      expect([n, hex(tree.rootAt(n))]).toEqual([n, hex(mth(D))]);
      for (let m = 0; m < n; m++) {
        expect([m, n, hexes(tree.inclusionProof(m, n))]).toEqual([m, n, hexes(path(m, D))]);
      }
      for (let m = 1; m < n; m++) {
        expect([m, n, hexes(tree.consistencyProof(m, n))]).toEqual([m, n, hexes(referenceProof(m, D))]);
      }
    }
  });

  it('stays right across its 1 MiB storage chunks (40,000 leaves)', () => {
    const entries = entriesOf(40_000);
    const tree = treeOf(entries);
    const roots = new Map([32_768, 32_769, 40_000].map((n) => [n, mth(entries.slice(0, n))]));
    for (const [n, root] of roots) expect([n, hex(tree.rootAt(n))]).toEqual([n, hex(root)]);
    for (const m of [0, 32_767, 32_768, 39_999]) {
      expect(verifyInclusion(m, 40_000, referenceLeafHash(entries[m]), tree.inclusionProof(m), roots.get(40_000)!)).toBe(true);
    }
    expect(verifyInclusion(32_768, 32_769, referenceLeafHash(entries[32_768]), tree.inclusionProof(32_768, 32_769), roots.get(32_769)!)).toBe(true);
    for (const [m, n] of [[32_768, 40_000], [32_769, 40_000], [32_768, 32_769]]) {
      expect(verifyConsistency(m, n, tree.consistencyProof(m, n), roots.get(m)!, roots.get(n)!)).toBe(true);
    }
  });

  it('answers right in any order of sizes (the remembered right edge is per size)', () => {
    const entries = entriesOf(200);
    const tree = treeOf(entries);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.nat(), fc.constantFrom('root', 'inclusion', 'consistency')), { maxLength: 12 }), (queries) => {
        for (const [size, x, kind] of queries) {
          const D = entries.slice(0, size);
          if (kind === 'root') expect(hex(tree.rootAt(size))).toBe(hex(mth(D)));
          if (kind === 'inclusion') expect(hexes(tree.inclusionProof(x % size, size))).toEqual(hexes(path(x % size, D)));
          if (kind === 'consistency' && size > 1) {
            const m = 1 + (x % (size - 1));
            expect(hexes(tree.consistencyProof(m, size))).toEqual(hexes(referenceProof(m, D)));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('builds the same tree leaf by leaf, from an iterable and from an async stream', async () => {
    const hashes = entriesOf(300).map(referenceLeafHash);
    const appended = new MerkleTree();
    hashes.forEach((h, i) => expect(appended.append(h)).toBe(i));
    async function* stream() {
      for (const h of hashes) yield h;
    }
    const streamed = await MerkleTree.fromLeafHashStream(stream());
    expect(streamed.root()).toEqual(appended.root());
    expect(MerkleTree.fromLeafHashes(hashes).root()).toEqual(appended.root());
    expect(streamed.size).toBe(300);
    expect(streamed.leafHash(299)).toEqual(hashes[299]);
    const byEntry = new MerkleTree();
    entriesOf(300).forEach((e) => byEntry.appendEntry(e));
    expect(byEntry.root()).toEqual(appended.root());
  });
});

/*
 * Property tests: random logs of distinct entries (with duplicates, two leaves are
 * indistinguishable and "the wrong index" may legitimately verify), every proof the tree
 * generates verifies, and every tampering makes verification fail.
 */
const log = fc.uniqueArray(fc.uint8Array({ maxLength: 24 }), { minLength: 1, maxLength: 300, selector: (e) => Buffer.from(e).toString('hex') });
const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a));

function flipBit(nodes: Buffer[], node: number, bit: number): Buffer[] {
  return nodes.map((n, i) => {
    if (i !== node) return n;
    const copy = Buffer.from(n);
    copy[bit >> 3] ^= 1 << (bit & 7);
    return copy;
  });
}

describe('MerkleTree proofs, property-based', () => {
  it('every inclusion proof verifies; a changed bit, node, index, size, leaf or root does not', () => {
    fc.assert(
      fc.property(log, fc.nat(), fc.nat(), fc.nat(255), hashArb, (entries, a, b, bit, extra) => {
        const tree = treeOf(entries);
        const size = 1 + (a % tree.size);
        const index = b % size;
        const leaf = tree.leafHash(index);
        const root = tree.rootAt(size);
        const proof = tree.inclusionProof(index, size);
        expect(verifyInclusion(index, size, leaf, proof, root)).toBe(true);
        for (let i = 0; i < proof.length; i++) {
          expect(verifyInclusion(index, size, leaf, flipBit(proof, i, bit), root)).toBe(false);
          expect(verifyInclusion(index, size, leaf, proof.filter((_, j) => j !== i), root)).toBe(false);
        }
        for (let at = 0; at <= proof.length; at++) {
          expect(verifyInclusion(index, size, leaf, [...proof.slice(0, at), extra, ...proof.slice(at)], root)).toBe(false);
        }
        const otherIndex = (index + 1 + (b % Math.max(1, size - 1))) % size;
        if (otherIndex !== index) {
          expect(verifyInclusion(otherIndex, size, leaf, proof, root)).toBe(false);
          expect(verifyInclusion(index, size, tree.leafHash(otherIndex), proof, root)).toBe(false);
        }
        for (let other = index + 1; other <= tree.size; other++) {
          // A checkpoint pairs a size with its root: the proof holds for no other pair.
          if (other !== size) expect(verifyInclusion(index, other, leaf, proof, tree.rootAt(other))).toBe(false);
        }
        expect(verifyInclusion(index, size, leaf, proof, extra)).toBe(false);
        expect(verifyInclusion(index, size, leaf, proof, flipBit([root], 0, bit)[0])).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('every consistency proof verifies; a changed bit, node, size or root does not', () => {
    fc.assert(
      fc.property(log, fc.nat(), fc.nat(), fc.nat(255), hashArb, (entries, a, b, bit, extra) => {
        const tree = treeOf(entries);
        const size2 = a % (tree.size + 1);
        const size1 = b % (size2 + 1);
        const root1 = tree.rootAt(size1);
        const root2 = tree.rootAt(size2);
        const proof = tree.consistencyProof(size1, size2);
        expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(true);
        for (let i = 0; i < proof.length; i++) {
          expect(verifyConsistency(size1, size2, flipBit(proof, i, bit), root1, root2)).toBe(false);
          expect(verifyConsistency(size1, size2, proof.filter((_, j) => j !== i), root1, root2)).toBe(false);
        }
        for (let at = 0; at <= proof.length; at++) {
          expect(verifyConsistency(size1, size2, [...proof.slice(0, at), extra, ...proof.slice(at)], root1, root2)).toBe(false);
        }
        for (let other = 0; other <= tree.size; other++) {
          // (true claims excluded: a tree is consistent with itself, the empty tree with any)
          const trueClaim = other === size2 || (other === 0 && proof.length === 0);
          if (other !== size1 && other <= size2 && !trueClaim) expect(verifyConsistency(other, size2, proof, tree.rootAt(other), root2)).toBe(false);
          if (other !== size2 && other >= size1 && size1 > 0) {
            expect(verifyConsistency(size1, other, proof, root1, tree.rootAt(other))).toBe(false);
          }
        }
        if (size1 !== size2) expect(verifyConsistency(size1, size2, proof, root2, root1)).toBe(false);
        expect(verifyConsistency(size1, size2, proof, extra, root2)).toBe(false);
        if (size1 > 0) expect(verifyConsistency(size1, size2, proof, root1, extra)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a log with two leaves swapped is caught by both proofs', () => {
    fc.assert(
      fc.property(log.filter((e) => e.length >= 2), fc.nat(), fc.nat(), (entries, a, b) => {
        const i = a % entries.length;
        const j = (i + 1 + (b % (entries.length - 1))) % entries.length;
        const swapped = [...entries];
        [swapped[i], swapped[j]] = [swapped[j], swapped[i]];
        const honest = treeOf(entries);
        const forged = treeOf(swapped);
        const n = entries.length;
        expect(forged.root()).not.toEqual(honest.root());
        // The auditor holds the honest checkpoint; the forged log can prove neither.
        expect(verifyInclusion(i, n, honest.leafHash(i), forged.inclusionProof(i), forged.root())).toBe(false);
        expect(verifyInclusion(i, n, honest.leafHash(i), honest.inclusionProof(i), forged.root())).toBe(false);
        const first = Math.max(i, j) + 1;
        expect(verifyConsistency(first, n, forged.consistencyProof(first, n), honest.rootAt(first), forged.root())).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a log truncated and continued with a different tail is caught by consistency and inclusion', () => {
    fc.assert(
      fc.property(log, fc.nat(), fc.nat(), fc.array(fc.uint8Array({ maxLength: 24 }), { minLength: 1, maxLength: 50 }), (entries, a, b, tail) => {
        const kept = a % entries.length;
        // The new tail must differ from the old one at its first entry.
        fc.pre(Buffer.compare(Buffer.from(tail[0]), Buffer.from(entries[kept])) !== 0);
        const honest = treeOf(entries);
        const forged = treeOf([...entries.slice(0, kept), ...tail]);
        const old = kept + 1 + (b % (entries.length - kept));
        const size2 = forged.size;
        if (old <= size2) {
          expect(verifyConsistency(old, size2, forged.consistencyProof(old, size2), honest.rootAt(old), forged.root())).toBe(false);
        }
        // The shared prefix is still consistent: the detection is about what changed.
        expect(verifyConsistency(kept, size2, forged.consistencyProof(kept, size2), honest.rootAt(kept), forged.root())).toBe(true);
        expect(verifyInclusion(kept, size2, honest.leafHash(kept), forged.inclusionProof(kept), forged.root())).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
