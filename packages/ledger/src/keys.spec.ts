import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertKeyName, generateKeyPairPem, keyIdOf, loadOrCreatePrivateKeyFile, parseVerifierKey, privateKeyFromPem, publicKeyOf, rawPublicKey, verifierKeyOf } from './keys';
import { GO_VERIFIER_KEY, goPrivateKey } from './testing/go-note-vector';

const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('Ed25519 keys of the signed notes', () => {
  it('derive the key id and verifier key string exactly as Go sumdb/note does', () => {
    const key = goPrivateKey();
    expect(keyIdOf('PeterNeumann', key)).toBe(0xc74f20a3);
    expect(verifierKeyOf('PeterNeumann', key)).toBe(GO_VERIFIER_KEY);
    expect(verifierKeyOf('PeterNeumann', rawPublicKey(key))).toBe(GO_VERIFIER_KEY);
  });

  it('parse a verifier key string back to name, id and public key', () => {
    const parsed = parseVerifierKey(GO_VERIFIER_KEY);
    expect(parsed.name).toBe('PeterNeumann');
    expect(parsed.keyId).toBe(0xc74f20a3);
    expect(rawPublicKey(parsed.publicKey)).toEqual(rawPublicKey(goPrivateKey()));
  });

  it('reject every truncation and every one-character change of a verifier key', () => {
    const key = GO_VERIFIER_KEY;
    for (let i = 0; i <= key.length; i++) {
      for (let j = i + 1; j <= key.length; j++) {
        if (i !== 0 || j !== key.length) expect([key.slice(i, j), codeOf(() => parseVerifierKey(key.slice(i, j)))]).toEqual([key.slice(i, j), 'MALFORMED_VERIFIER_KEY']);
      }
    }
    for (let i = 0; i < key.length; i++) {
      const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect([changed, codeOf(() => parseVerifierKey(changed))]).toEqual([changed, 'MALFORMED_VERIFIER_KEY']);
    }
  });

  it('generate PEM key pairs whose raw public key is the 32 bytes of the JWK', () => {
    const { privateKeyPem, publicKeyPem } = generateKeyPairPem();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const jwk = publicKeyOf(publicKeyPem).export({ format: 'jwk' });
    expect(rawPublicKey(publicKeyPem)).toEqual(Buffer.from(jwk.x!, 'base64url'));
    expect(rawPublicKey(privateKeyFromPem(privateKeyPem))).toEqual(rawPublicKey(publicKeyPem));
    expect(rawPublicKey(rawPublicKey(publicKeyPem))).toEqual(rawPublicKey(publicKeyPem));
  });

  it('refuse keys that are not Ed25519, and raw keys that are not 32 bytes', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(codeOf(() => privateKeyFromPem(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()))).toBe('INVALID_KEY');
    expect(codeOf(() => publicKeyOf(ec.publicKey))).toBe('INVALID_KEY');
    expect(codeOf(() => publicKeyOf(Buffer.alloc(31)))).toBe('INVALID_KEY');
    expect(codeOf(() => privateKeyFromPem('not a pem'))).toBe('INVALID_KEY');
    expect(codeOf(() => privateKeyFromPem(publicKeyOf(goPrivateKey())))).toBe('INVALID_KEY');
  });

  it('accept key names without spaces, plus signs or control characters', () => {
    expect(codeOf(() => assertKeyName('audit.wenshan.gov.cn/clue-referral'))).toBe('no error');
    expect(codeOf(() => assertKeyName('审计日志'))).toBe('no error');
    for (const bad of ['', 'a b', 'a+b', 'a\u3000b', 'a\u00a0b', 'a\nb', 'a\u0000b', '\uD800']) {
      expect([bad, codeOf(() => assertKeyName(bad))]).toEqual([bad, 'INVALID_KEY_NAME']);
    }
  });

  describe('loadOrCreatePrivateKeyFile', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('creates a key readable only by its owner once, then loads the same key', () => {
      const file = join(dir, 'checkpoint-key.pem');
      const created = loadOrCreatePrivateKeyFile(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const loaded = loadOrCreatePrivateKeyFile(file);
      expect(rawPublicKey(loaded)).toEqual(rawPublicKey(created));
    });
  });
});
