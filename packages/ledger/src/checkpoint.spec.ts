import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { createSigner, formatCheckpoint, parseCheckpoint, verifyCheckpoint } from './checkpoint';
import { EMPTY_ROOT, leafHash } from './hashing';
import { generateKeyPairPem } from './keys';
import { MerkleTree } from './merkle-tree';
import { createNoteSigner } from './signed-note';
import { verifyConsistency } from './verify';

const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};
const ORIGIN = 'audit.wenshan.gov.cn/clue-referral';
const { privateKeyPem } = generateKeyPairPem();
const signer = createSigner(ORIGIN, privateKeyPem);
const tree = MerkleTree.fromLeafHashes(Array.from({ length: 1000 }, (_, i) => leafHash(Buffer.from(`event ${i}`))));
const head = { origin: ORIGIN, size: 1000, rootHash: tree.root() };

describe('C2SP checkpoints', () => {
  it('are the three lines, a blank line and the signature line', () => {
    const note = signer.signCheckpoint(head);
    const [text, signature] = note.split('\n\n');
    expect(text).toBe(`${ORIGIN}\n1000\n${tree.root().toString('base64')}`);
    expect(signature).toMatch(new RegExp(`^\u2014 ${ORIGIN.replace(/\./g, '\\.')} [A-Za-z0-9+/]{91}=\n$`));
    expect(Buffer.from(signature.split(' ')[2], 'base64').readUInt32BE(0)).toBe(signer.keyId);
    expect(signer.verifierKey).toMatch(new RegExp(`^${ORIGIN.replace(/\./g, '\\.')}\\+[0-9a-f]{8}\\+A[A-Za-z0-9+/]{43}$`));
  });

  it('round-trip through verifyCheckpoint with the published verifier key', () => {
    const verified = verifyCheckpoint(signer.signCheckpoint(head), signer.verifierKey, { origin: ORIGIN });
    expect(verified).toMatchObject({ origin: ORIGIN, size: 1000, extensions: [], verifiedBy: [ORIGIN] });
    expect(verified.rootHash).toEqual(tree.root());
    // What an auditor does with two of them: prove the log only grew in between.
    const earlier = verifyCheckpoint(signer.signCheckpoint({ origin: ORIGIN, size: 600, rootHash: tree.rootAt(600) }), signer.verifierKey);
    expect(verifyConsistency(earlier.size, verified.size, tree.consistencyProof(600, 1000), earlier.rootHash, verified.rootHash)).toBe(true);
  });

  it('round-trip the empty tree and extension lines', () => {
    const empty = verifyCheckpoint(signer.signCheckpoint({ origin: ORIGIN, size: 0, rootHash: EMPTY_ROOT }), signer.verifierKey);
    expect(empty.size).toBe(0);
    expect(empty.rootHash).toEqual(EMPTY_ROOT);
    const extended = verifyCheckpoint(signer.signCheckpoint({ ...head, extensions: ['position 1000', '时间 2026-03-01'] }), signer.verifierKey);
    expect(extended.extensions).toEqual(['position 1000', '时间 2026-03-01']);
  });

  it('fail to verify once the origin, size or root is changed (BAD_SIGNATURE)', () => {
    const note = signer.signCheckpoint(head);
    const otherRoot = tree.rootAt(999).toString('base64');
    const tampered = {
      origin: note.replace(ORIGIN, 'audit.wenshan.gov.cn/other-log'),
      size: note.replace('\n1000\n', '\n1001\n'),
      root: note.replace(tree.root().toString('base64'), otherRoot),
    };
    for (const [what, text] of Object.entries(tampered)) {
      expect(text).not.toBe(note);
      expect([what, codeOf(() => verifyCheckpoint(text, signer.verifierKey))]).toEqual([what, 'BAD_SIGNATURE']);
    }
  });

  it('fail to verify when signed by another key (UNKNOWN_KEY), whatever its name', () => {
    const other = createSigner(ORIGIN, generateKeyPairSync('ed25519').privateKey);
    expect(codeOf(() => verifyCheckpoint(other.signCheckpoint(head), signer.verifierKey))).toBe('UNKNOWN_KEY');
    const named = createSigner('someone.else/log', generateKeyPairSync('ed25519').privateKey);
    expect(codeOf(() => verifyCheckpoint(named.signCheckpoint(head), signer.verifierKey))).toBe('UNKNOWN_KEY');
    expect(verifyCheckpoint(named.signCheckpoint(head), [signer.verifierKey, named.verifierKey]).verifiedBy).toEqual(['someone.else/log']);
  });

  it('fail for another origin than the caller expects (WRONG_ORIGIN)', () => {
    const note = signer.signCheckpoint({ ...head, origin: 'audit.wenshan.gov.cn/test-log' });
    expect(codeOf(() => verifyCheckpoint(note, signer.verifierKey, { origin: ORIGIN }))).toBe('WRONG_ORIGIN');
    expect(verifyCheckpoint(note, signer.verifierKey).origin).toBe('audit.wenshan.gov.cn/test-log');
  });

  it('can be read without keys, showing who signed them', () => {
    const checkpoint = parseCheckpoint(signer.signCheckpoint(head));
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size: 1000, signatures: [{ keyName: ORIGIN, keyId: signer.keyId }] });
  });

  it('reject bodies that are not checkpoints, even when properly signed (MALFORMED_CHECKPOINT)', () => {
    const noteSigner = createNoteSigner(ORIGIN, privateKeyPem);
    const root = tree.root().toString('base64');
    const bodies: [string, string][] = [
      ['two lines', `${ORIGIN}\n1000\n`],
      ['leading zero', `${ORIGIN}\n01000\n${root}\n`],
      ['negative size', `${ORIGIN}\n-1\n${root}\n`],
      ['fractional size', `${ORIGIN}\n1.0\n${root}\n`],
      ['size with a space', `${ORIGIN}\n 1000\n${root}\n`],
      ['size beyond 2^53', `${ORIGIN}\n9007199254740993\n${root}\n`],
      ['root of 31 bytes', `${ORIGIN}\n1000\n${tree.root().subarray(1).toString('base64')}\n`],
      ['root in hex', `${ORIGIN}\n1000\n${tree.root().toString('hex')}\n`],
      ['root without padding', `${ORIGIN}\n1000\n${root.replace(/=$/, '')}\n`],
      ['empty origin', `\n1000\n${root}\n`],
      ['empty extension line', `${ORIGIN}\n1000\n${root}\n\nextension\n`],
    ];
    for (const [what, body] of bodies) {
      const note = noteSigner.signNote(body);
      expect([what, codeOf(() => verifyCheckpoint(note, signer.verifierKey))]).toEqual([what, 'MALFORMED_CHECKPOINT']);
      expect([what, codeOf(() => parseCheckpoint(note))]).toEqual([what, 'MALFORMED_CHECKPOINT']);
    }
  });

  it('are never written from a head that cannot be one', () => {
    expect(codeOf(() => formatCheckpoint({ ...head, origin: '' }))).toBe('MALFORMED_CHECKPOINT');
    expect(codeOf(() => formatCheckpoint({ ...head, origin: 'two\nlines' }))).toBe('MALFORMED_CHECKPOINT');
    expect(codeOf(() => formatCheckpoint({ ...head, extensions: [''] }))).toBe('MALFORMED_CHECKPOINT');
    expect(codeOf(() => formatCheckpoint({ ...head, size: -1 }))).toBe('INVALID_SIZE');
    expect(codeOf(() => formatCheckpoint({ ...head, rootHash: Buffer.alloc(31) }))).toBe('INVALID_HASH');
    expect(codeOf(() => signer.signCheckpoint({ ...head, origin: 'tab\there' }))).toBe('MALFORMED_NOTE');
  });

  it('round-trip any origin, size and root, and reject the note once its size changes', () => {
    const origin = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((o) => !/[\u0000-\u001f]/.test(o));
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(origin, fc.nat({ max: Number.MAX_SAFE_INTEGER - 1 }), hash, (o, size, rootHash) => {
        const note = signer.signCheckpoint({ origin: o, size, rootHash });
        const verified = verifyCheckpoint(note, signer.verifierKey, { origin: o });
        expect([verified.origin, verified.size, Buffer.from(verified.rootHash).equals(rootHash)]).toEqual([o, size, true]);
        const lines = note.split('\n');
        lines[1] = String(size + 1);
        expect(codeOf(() => verifyCheckpoint(lines.join('\n'), signer.verifierKey))).toBe('BAD_SIGNATURE');
      }),
      { numRuns: 200 },
    );
  });
});
