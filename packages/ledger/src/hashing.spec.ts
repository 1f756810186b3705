import { createHash } from 'node:crypto';
import { LedgerError } from './errors';
import { EMPTY_ROOT, assertHash, assertSize, leafHash, leafHashOfUtf8, nodeHash, splitPoint } from './hashing';

const sha = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

describe('RFC 9162 hashing', () => {
  it('the empty tree hashes to SHA-256 of nothing', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('a leaf is SHA-256(0x00 ‖ entry), from bytes or from a UTF-8 string', () => {
    // The CT reference value of the empty entry's leaf.
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const entry = '{"说明":"以他人名义入院分娩","emoji":"🧒"}';
    const expected = sha(Buffer.of(0), Buffer.from(entry, 'utf8'));
    expect(leafHash(Buffer.from(entry, 'utf8'))).toEqual(expected);
    expect(leafHash(new Uint8Array(Buffer.from(entry, 'utf8')))).toEqual(expected);
    expect(leafHashOfUtf8(entry)).toEqual(expected);
  });

  it('a node is SHA-256(0x01 ‖ left ‖ right) and each result is a fresh buffer', () => {
    const l = sha(Buffer.from('left'));
    const r = sha(Buffer.from('right'));
    const first = nodeHash(l, r);
    const second = nodeHash(r, l);
    expect(first).toEqual(sha(Buffer.of(1), l, r));
    expect(second).toEqual(sha(Buffer.of(1), r, l));
    expect(first).not.toEqual(second);
  });

  it('a leaf never hashes like a node of the same bytes (domain separation)', () => {
    const l = sha(Buffer.from('l'));
    const r = sha(Buffer.from('r'));
    expect(leafHash(Buffer.concat([l, r]))).not.toEqual(nodeHash(l, r));
  });

  it('splits at the largest power of two strictly below n', () => {
    const cases: [number, number][] = [[2, 1], [3, 2], [4, 2], [5, 4], [7, 4], [8, 4], [9, 8], [1024, 512], [1025, 1024], [2 ** 40 + 1, 2 ** 40]];
    for (const [n, k] of cases) expect([n, splitPoint(n)]).toEqual([n, k]);
  });

  it('rejects hashes that are not 32 bytes and sizes that are not non-negative safe integers', () => {
    expect(() => assertHash(Buffer.alloc(31), 'root')).toThrow(new LedgerError('INVALID_HASH', 'root is 31 bytes, not 32'));
    expect(() => assertHash('ab'.repeat(32), 'root')).toThrow(/root must be a Buffer or Uint8Array/);
    expect(() => assertHash(new Uint8Array(32), 'root')).not.toThrow();
    for (const bad of [-1, 1.5, NaN, 2 ** 53, '3']) {
      expect(() => assertSize(bad, 'size')).toThrow(expect.objectContaining({ code: 'INVALID_SIZE' }));
    }
    expect(() => assertSize(0, 'size')).not.toThrow();
  });
});
