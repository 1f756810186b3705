import { LedgerError } from './errors';
import { EMPTY_ROOT } from './hashing';
import { CONSISTENCY, CT_CONSISTENCY, CT_INCLUSION, CT_ROOTS, INCLUSION, LEAVES, ROOTS, evaluate, unhex } from './testing/small-trees';
import { verifyConsistency, verifyInclusion } from './verify';

const leaf = (i: number) => LEAVES[String.fromCharCode(97 + i)];
const root = (n: number) => evaluate(ROOTS[n]);
const flip = (hash: Buffer, bit = 0) => {
  const copy = Buffer.from(hash);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
};

describe('the hand-worked trees', () => {
  it('have the Certificate Transparency reference roots', () => {
    expect(ROOTS.slice(1).map((r) => evaluate(r).toString('hex'))).toEqual(CT_ROOTS);
    expect(root(0)).toEqual(EMPTY_ROOT);
  });
});

describe('verifyInclusion (RFC 9162 §2.1.3.2)', () => {
  it('accepts every hand-computed proof of trees of 1–8 leaves', () => {
    for (let n = 1; n <= 8; n++) {
      for (let m = 0; m < n; m++) {
        const proof = INCLUSION[n][m].map(evaluate);
        expect([n, m, verifyInclusion(m, n, leaf(m), proof, root(n))]).toEqual([n, m, true]);
      }
    }
  });

  it('accepts the Certificate Transparency reference proofs', () => {
    for (const [m, n, path] of CT_INCLUSION) {
      expect(verifyInclusion(m, n, leaf(m), path.map(unhex), unhex(CT_ROOTS[n - 1]))).toBe(true);
    }
  });

  it('rejects each hand-computed proof with another index, size, leaf or root', () => {
    for (let n = 1; n <= 8; n++) {
      for (let m = 0; m < n; m++) {
        const proof = INCLUSION[n][m].map(evaluate);
        for (let other = 0; other < n; other++) {
          if (other !== m) {
            expect(verifyInclusion(other, n, leaf(m), proof, root(n))).toBe(false);
            expect(verifyInclusion(m, n, leaf(other), proof, root(n))).toBe(false);
          }
        }
        for (let size = 1; size <= 8; size++) {
          if (size !== n) expect(verifyInclusion(m, size, leaf(m), proof, root(size))).toBe(false);
        }
        expect(verifyInclusion(m, n, leaf(m), proof, flip(root(n)))).toBe(false);
      }
    }
  });

  it('rejects proofs with a flipped bit, a node dropped, added or reordered', () => {
    const n = 7;
    for (let m = 0; m < n; m++) {
      const proof = INCLUSION[n][m].map(evaluate);
      for (let i = 0; i < proof.length; i++) {
        for (const bit of [0, 77, 255]) {
          const tampered = proof.map((p, j) => (j === i ? flip(p, bit) : p));
          expect(verifyInclusion(m, n, leaf(m), tampered, root(n))).toBe(false);
        }
        expect(verifyInclusion(m, n, leaf(m), proof.filter((_, j) => j !== i), root(n))).toBe(false);
      }
      expect(verifyInclusion(m, n, leaf(m), [...proof, root(n)], root(n))).toBe(false);
      expect(verifyInclusion(m, n, leaf(m), [root(n), ...proof], root(n))).toBe(false);
      if (proof.length > 1) expect(verifyInclusion(m, n, leaf(m), [...proof].reverse(), root(n))).toBe(false);
    }
  });

  it('a one-leaf tree: the leaf hash is the root and the proof is empty', () => {
    expect(verifyInclusion(0, 1, leaf(0), [], leaf(0))).toBe(true);
    expect(verifyInclusion(0, 1, leaf(0), [leaf(1)], leaf(0))).toBe(false);
    expect(verifyInclusion(0, 1, leaf(0), [], leaf(1))).toBe(false);
  });

  it('fails when the index is not below the size, including every index of the empty tree', () => {
    expect(verifyInclusion(0, 0, EMPTY_ROOT, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(1, 0, leaf(0), [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(1, 1, leaf(1), [], leaf(1))).toBe(false);
    expect(verifyInclusion(8, 8, leaf(7), INCLUSION[8][7].map(evaluate), root(8))).toBe(false);
  });

  it('throws a typed error for hashes that are not 32 bytes and for bad sizes', () => {
    const proof = INCLUSION[4][1].map(evaluate);
    const call = (args: Partial<{ m: number; n: number; leaf: Uint8Array; proof: Uint8Array[]; root: Uint8Array }>) => () =>
      verifyInclusion(args.m ?? 1, args.n ?? 4, args.leaf ?? leaf(1), args.proof ?? proof, args.root ?? root(4));
    expect(call({ leaf: leaf(1).subarray(1) })).toThrow(new LedgerError('INVALID_HASH', 'leafHash is 31 bytes, not 32'));
    expect(call({ root: Buffer.concat([root(4), Buffer.of(0)]) })).toThrow(new LedgerError('INVALID_HASH', 'rootHash is 33 bytes, not 32'));
    expect(call({ proof: [proof[0], Buffer.alloc(0)] })).toThrow(new LedgerError('INVALID_HASH', 'proof[1] is 0 bytes, not 32'));
    expect(call({ proof: 'not a proof' as unknown as Uint8Array[] })).toThrow(new LedgerError('INVALID_HASH', 'proof must be an array of 32-byte hashes'));
    expect(call({ m: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_SIZE' }));
    expect(call({ n: 4.5 })).toThrow(expect.objectContaining({ code: 'INVALID_SIZE' }));
    expect(call({})()).toBe(true);
  });

  it('handles sizes beyond 2^32 without 32-bit overflow', () => {
    // A tree of 2^33 + 1 leaves whose last leaf's path is one node, the root of the first 2^33.
    const left = evaluate('N(a,b)');
    const last = leaf(2);
    const top = evaluate('N(N(a,b),c)');
    expect(verifyInclusion(2 ** 33, 2 ** 33 + 1, last, [left], top)).toBe(true);
    expect(verifyInclusion(2 ** 32, 2 ** 33 + 1, last, [left], top)).toBe(false);
  });
});

describe('verifyConsistency (RFC 9162 §2.1.4.2)', () => {
  it('accepts every hand-computed proof between trees of 1–8 leaves', () => {
    for (let n = 2; n <= 8; n++) {
      for (let m = 1; m < n; m++) {
        const proof = CONSISTENCY[n][m].map(evaluate);
        expect([m, n, verifyConsistency(m, n, proof, root(m), root(n))]).toEqual([m, n, true]);
      }
    }
  });

  it('accepts the Certificate Transparency reference proofs', () => {
    for (const [m, n, proof] of CT_CONSISTENCY) {
      expect(verifyConsistency(m, n, proof.map(unhex), unhex(CT_ROOTS[m - 1]), unhex(CT_ROOTS[n - 1]))).toBe(true);
    }
  });

  it('rejects each proof with other sizes, swapped or wrong roots, a flipped bit, a node dropped or added', () => {
    for (let n = 2; n <= 8; n++) {
      for (let m = 1; m < n; m++) {
        const proof = CONSISTENCY[n][m].map(evaluate);
        const ok = (size1: number, size2: number, p: Buffer[], r1: Buffer, r2: Buffer) => verifyConsistency(size1, size2, p, r1, r2);
        for (let other = 1; other <= 8; other++) {
          if (other !== m && other < n) expect(ok(other, n, proof, root(other), root(n))).toBe(false);
          if (other !== n && other > m) expect(ok(m, other, proof, root(m), root(other))).toBe(false);
        }
        expect(ok(m, n, proof, root(n), root(m))).toBe(false);
        expect(ok(m, n, proof, flip(root(m)), root(n))).toBe(false);
        expect(ok(m, n, proof, root(m), flip(root(n), 100))).toBe(false);
        expect(ok(m, n, [], root(m), root(n))).toBe(false);
        for (let i = 0; i < proof.length; i++) {
          expect(ok(m, n, proof.map((p, j) => (j === i ? flip(p, 3) : p)), root(m), root(n))).toBe(false);
          expect(ok(m, n, proof.filter((_, j) => j !== i), root(m), root(n))).toBe(false);
        }
        expect(ok(m, n, [...proof, root(n)], root(m), root(n))).toBe(false);
        expect(ok(m, n, [root(m), ...proof], root(m), root(n))).toBe(false);
        expect(ok(m, n, [proof[0], ...proof], root(m), root(n))).toBe(false);
      }
    }
  });

  it('equal sizes: consistent iff the proof is empty and the roots are equal', () => {
    expect(verifyConsistency(5, 5, [], root(5), root(5))).toBe(true);
    expect(verifyConsistency(5, 5, [], root(5), root(6))).toBe(false);
    expect(verifyConsistency(5, 5, [root(5)], root(5), root(5))).toBe(false);
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toBe(true);
    expect(verifyConsistency(0, 0, [], root(1), root(1))).toBe(false);
    expect(verifyConsistency(0, 0, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
  });

  it('from the empty tree: consistent with any tree, with an empty proof and the empty root', () => {
    expect(verifyConsistency(0, 7, [], EMPTY_ROOT, root(7))).toBe(true);
    expect(verifyConsistency(0, 7, [EMPTY_ROOT], EMPTY_ROOT, root(7))).toBe(false);
    expect(verifyConsistency(0, 7, [], root(1), root(7))).toBe(false);
  });

  it('a larger first tree is never consistent (logs only grow)', () => {
    expect(verifyConsistency(7, 5, CONSISTENCY[7][5].map(evaluate), root(7), root(5))).toBe(false);
    expect(verifyConsistency(1, 0, [], root(1), EMPTY_ROOT)).toBe(false);
  });

  it('throws a typed error for hashes that are not 32 bytes and for bad sizes', () => {
    const proof = CONSISTENCY[6][3].map(evaluate);
    expect(() => verifyConsistency(3, 6, proof, Buffer.from('WrongRoot'), root(6))).toThrow(new LedgerError('INVALID_HASH', 'root1 is 9 bytes, not 32'));
    expect(() => verifyConsistency(3, 6, proof, root(3), new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'INVALID_HASH' }));
    expect(() => verifyConsistency(3, 6, [...proof, Buffer.alloc(0)], root(3), root(6))).toThrow(new LedgerError('INVALID_HASH', 'proof[4] is 0 bytes, not 32'));
    expect(() => verifyConsistency(-3, 6, proof, root(3), root(6))).toThrow(expect.objectContaining({ code: 'INVALID_SIZE' }));
    expect(verifyConsistency(3, 6, proof, root(3), root(6))).toBe(true);
  });
});
