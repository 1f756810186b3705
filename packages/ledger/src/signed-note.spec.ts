import { generateKeyPairSync, sign } from 'node:crypto';
import { parseVerifierKey } from './keys';
import { createNoteSigner, parseNote, verifyNote } from './signed-note';
import { GO_NOTE, GO_TEXT, GO_VERIFIER_KEY, goPrivateKey } from './testing/go-note-vector';

const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};
const newKey = () => generateKeyPairSync('ed25519').privateKey;
/** The signature line of a note that has exactly one. */
const signatureLine = (note: string) => note.slice(note.lastIndexOf('\n\n') + 2);

describe('C2SP signed notes', () => {
  it('signs exactly the note Go sumdb/note signs, and opens it', () => {
    const signer = createNoteSigner('PeterNeumann', goPrivateKey());
    expect(signer.verifierKey).toBe(GO_VERIFIER_KEY);
    expect(signer.signNote(GO_TEXT)).toBe(GO_NOTE);
    expect(verifyNote(GO_NOTE, GO_VERIFIER_KEY)).toEqual({
      text: GO_TEXT,
      signatures: [expect.objectContaining({ keyName: 'PeterNeumann', keyId: 0xc74f20a3 })],
      verifiedBy: ['PeterNeumann'],
    });
    expect(verifyNote(Buffer.from(GO_NOTE, 'utf8'), [parseVerifierKey(GO_VERIFIER_KEY)]).text).toBe(GO_TEXT);
  });

  it('rejects a note whose text was changed (BAD_SIGNATURE)', () => {
    expect(codeOf(() => verifyNote(GO_NOTE.replace('cryptography', 'cryptographY'), GO_VERIFIER_KEY))).toBe('BAD_SIGNATURE');
  });

  it('ignores signatures by unknown keys, and rejects a note no known key signed (UNKNOWN_KEY)', () => {
    const log = createNoteSigner('audit.example/log', newKey());
    const witness = createNoteSigner('witness.example/w1', newKey());
    const text = 'audit.example/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
    const cosigned = log.signNote(text) + signatureLine(witness.signNote(text));
    expect(verifyNote(cosigned, log.verifierKey).verifiedBy).toEqual(['audit.example/log']);
    expect(verifyNote(cosigned, witness.verifierKey).verifiedBy).toEqual(['witness.example/w1']);
    expect(verifyNote(cosigned, [log.verifierKey, witness.verifierKey]).verifiedBy).toEqual(['audit.example/log', 'witness.example/w1']);
    expect(codeOf(() => verifyNote(cosigned, GO_VERIFIER_KEY))).toBe('UNKNOWN_KEY');
    expect(codeOf(() => verifyNote(cosigned, []))).toBe('UNKNOWN_KEY');
  });

  it('treats the same name with another key as an unknown key, and a forged key id as a bad signature', () => {
    const text = 'audit.example/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
    const real = createNoteSigner('audit.example/log', newKey());
    const impostorKey = newKey();
    const impostor = createNoteSigner('audit.example/log', impostorKey);
    expect(codeOf(() => verifyNote(impostor.signNote(text), real.verifierKey))).toBe('UNKNOWN_KEY');
    // The impostor copies the real key's id into its signature line: now the signature must fail.
    const id = Buffer.alloc(4);
    id.writeUInt32BE(real.keyId);
    const forged = `${text}\n\u2014 audit.example/log ${Buffer.concat([id, sign(null, Buffer.from(text), impostorKey)]).toString('base64')}\n`;
    expect(codeOf(() => verifyNote(forged, real.verifierKey))).toBe('BAD_SIGNATURE');
  });

  it('rejects two signatures by the same known key', () => {
    const line = signatureLine(GO_NOTE);
    expect(codeOf(() => verifyNote(GO_NOTE + line, GO_VERIFIER_KEY))).toBe('MALFORMED_NOTE');
  });

  it('splits at the last blank line, so a note text may contain blank lines', () => {
    const signer = createNoteSigner('n', newKey());
    const text = 'first paragraph\n\nsecond paragraph\n';
    expect(parseNote(signer.signNote(text)).text).toBe(text);
    expect(verifyNote(signer.signNote(text), signer.verifierKey).text).toBe(text);
  });

  it('rejects malformed notes strictly (MALFORMED_NOTE)', () => {
    const sig = 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
    const malformed: [string, string | Uint8Array][] = [
      ['no blank line', `${GO_TEXT}\u2014 PeterNeumann ${sig}\n`],
      ['no signature', `${GO_TEXT}\n`],
      ['a blank line but no signature', `${GO_TEXT}\n\n`],
      ['no final newline', GO_NOTE.slice(0, -1)],
      ['hyphen instead of em dash', GO_NOTE.replace('\u2014', '-')],
      ['no space after the dash', GO_NOTE.replace('\u2014 ', '\u2014')],
      ['no key name', `${GO_TEXT}\n\u2014 ${sig}\n`],
      ['key name with a plus', GO_NOTE.replace('PeterNeumann', 'Peter+Neumann')],
      ['key name with a space', GO_NOTE.replace('PeterNeumann', 'Peter Neumann')],
      ['signature not base64', GO_NOTE.replace(sig, `${sig.slice(0, -4)}!!!=`)],
      ['signature without padding', GO_NOTE.replace(sig, sig.slice(0, -1))],
      ['signature of 4 bytes', GO_NOTE.replace(sig, 'AAAAAA==')],
      ['carriage return', GO_NOTE.replace('\n', '\r\n')],
      ['tab', GO_NOTE.replace(' ', '\t')],
      ['NUL', `\u0000${GO_NOTE}`],
      ['lone surrogate', `\uD800${GO_NOTE}`],
      ['invalid UTF-8', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GO_NOTE)])],
      ['101 signatures', GO_TEXT + '\n' + `\u2014 PeterNeumann ${sig}\n`.repeat(101)],
    ];
    for (const [what, note] of malformed) {
      expect([what, codeOf(() => parseNote(note))]).toEqual([what, 'MALFORMED_NOTE']);
      expect([what, codeOf(() => verifyNote(note, GO_VERIFIER_KEY))]).toEqual([what, 'MALFORMED_NOTE']);
    }
  });

  it('reads a blank line among the signatures as the end of the text: the signature then fails', () => {
    const note = `${GO_NOTE}\n${signatureLine(GO_NOTE)}`;
    expect(parseNote(note).text).toBe(`${GO_TEXT}\n${signatureLine(GO_NOTE)}`);
    expect(codeOf(() => verifyNote(note, GO_VERIFIER_KEY))).toBe('BAD_SIGNATURE');
  });

  it('accepts at least 16 signatures, ignoring the unknown ones', () => {
    const text = 'many witnesses\n';
    const witnesses = Array.from({ length: 16 }, (_, i) => createNoteSigner(`w${i}`, newKey()));
    const note = witnesses[0].signNote(text) + witnesses.slice(1).map((w) => signatureLine(w.signNote(text))).join('');
    expect(parseNote(note).signatures).toHaveLength(16);
    expect(verifyNote(note, witnesses[15].verifierKey).verifiedBy).toEqual(['w15']);
  });

  it('refuses to sign a text that is not a note text', () => {
    const signer = createNoteSigner('n', newKey());
    expect(codeOf(() => signer.signNote('no final newline'))).toBe('MALFORMED_NOTE');
    expect(codeOf(() => signer.signNote('tab\there\n'))).toBe('MALFORMED_NOTE');
    expect(codeOf(() => createNoteSigner('bad name', newKey()))).toBe('INVALID_KEY_NAME');
  });
});
