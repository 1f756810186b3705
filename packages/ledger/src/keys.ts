import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { LedgerError } from './errors';
import { sha256 } from './hashing';

/** C2SP signed-note signature type of Ed25519. */
export const ED25519_SIGNATURE_TYPE = 0x01;

/** An Ed25519 SubjectPublicKeyInfo is this fixed DER prefix followed by the 32-byte key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 key pair as PEM texts (PKCS#8 private key, SPKI public key). */
export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A new Ed25519 key pair, as PEM. */
export function generateKeyPairPem(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * The private key in the PEM file at `path`; when there is no file yet, a new key is generated
 * and written there first (mode 0600, never overwriting a file created meanwhile).
 */
export function loadOrCreatePrivateKeyFile(path: string): KeyObject {
  try {
    return privateKeyFromPem(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKeyPem } = generateKeyPairPem();
  try {
    writeFileSync(path, privateKeyPem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return privateKeyFromPem(readFileSync(path, 'utf8'));
}

/** An Ed25519 private key from PEM (or a KeyObject, checked); throws INVALID_KEY otherwise. */
export function privateKeyFromPem(pem: string | KeyObject): KeyObject {
  const key = typeof pem === 'string' ? parseKey(() => createPrivateKey(pem)) : pem;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new LedgerError('INVALID_KEY', `expected an Ed25519 private key, got a ${key.asymmetricKeyType ?? key.type} ${key.type} key`);
  }
  return key;
}

/** An Ed25519 public key from PEM, raw 32 bytes, or a KeyObject (public or private). */
export function publicKeyOf(key: string | Uint8Array | KeyObject): KeyObject {
  let publicKey: KeyObject;
  if (typeof key === 'string') {
    publicKey = parseKey(() => createPublicKey(key));
  } else if (key instanceof Uint8Array) {
    if (key.length !== 32) throw new LedgerError('INVALID_KEY', `a raw Ed25519 public key is 32 bytes, not ${key.length}`);
    publicKey = parseKey(() =>
      createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, key]), format: 'der', type: 'spki' }),
    );
  } else {
    publicKey = key.type === 'private' ? createPublicKey(key) : key;
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new LedgerError('INVALID_KEY', `expected an Ed25519 key, got ${publicKey.asymmetricKeyType}`);
  }
  return publicKey;
}

/** The 32-byte Ed25519 public key (RFC 8032 encoding): the SPKI DER without its fixed prefix. */
export function rawPublicKey(key: string | Uint8Array | KeyObject): Buffer {
  const der = publicKeyOf(key).export({ format: 'der', type: 'spki' });
  if (der.length !== ED25519_SPKI_PREFIX.length + 32 || !der.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)) {
    throw new LedgerError('INVALID_KEY', 'unexpected Ed25519 SubjectPublicKeyInfo encoding');
  }
  return Buffer.from(der.subarray(ED25519_SPKI_PREFIX.length));
}

/**
 * Key names must be non-empty and contain no Unicode space and no '+' (C2SP signed-note);
 * control characters cannot appear in a note at all.
 */
export function assertKeyName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || /[\s\u0085+\u0000-\u001f\u007f]/.test(name) || !isWellFormed(name)) {
    throw new LedgerError('INVALID_KEY_NAME', `invalid key name ${JSON.stringify(name)}: it must be non-empty, without spaces, '+' or control characters`);
  }
}

/** key ID = first 4 bytes (big-endian uint32) of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key). */
export function keyIdOf(name: string, publicKey: string | Uint8Array | KeyObject): number {
  assertKeyName(name);
  const raw = rawPublicKey(publicKey);
  return sha256(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.of(ED25519_SIGNATURE_TYPE), raw])).readUInt32BE(0);
}

/**
 * The verifier key string auditors configure: `<name>+<8 hex digits key id>+<base64(0x01 ‖
 * 32-byte public key)>` (the format of Go's golang.org/x/mod/sumdb/note and the C2SP tools).
 */
export function verifierKeyOf(name: string, publicKey: string | Uint8Array | KeyObject): string {
  const raw = rawPublicKey(publicKey);
  const id = keyIdOf(name, raw);
  const key = Buffer.concat([Buffer.of(ED25519_SIGNATURE_TYPE), raw]).toString('base64');
  return `${name}+${id.toString(16).padStart(8, '0')}+${key}`;
}

/** A parsed verifier key. */
export interface VerifierKey {
  name: string;
  keyId: number;
  publicKey: KeyObject;
}

/** Parses a verifier key string; throws MALFORMED_VERIFIER_KEY naming what is wrong. */
export function parseVerifierKey(verifierKey: string): VerifierKey {
  const bad = (why: string) => new LedgerError('MALFORMED_VERIFIER_KEY', `verifier key ${JSON.stringify(verifierKey)}: ${why}`);
  if (typeof verifierKey !== 'string') throw bad('not a string');
  const first = verifierKey.indexOf('+');
  const second = verifierKey.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw bad('expected <name>+<key id>+<key>');
  const name = verifierKey.slice(0, first);
  const idHex = verifierKey.slice(first + 1, second);
  const keyBase64 = verifierKey.slice(second + 1);
  try {
    assertKeyName(name);
  } catch {
    throw bad('invalid key name');
  }
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw bad('the key id must be 8 hex digits');
  const key = decodeBase64(keyBase64);
  if (key === undefined) throw bad('the key is not canonical base64');
  if (key.length !== 33 || key[0] !== ED25519_SIGNATURE_TYPE) throw bad('the key is not 0x01 followed by a 32-byte Ed25519 public key');
  const publicKey = publicKeyOf(key.subarray(1));
  const keyId = Number.parseInt(idHex, 16);
  if (keyIdOf(name, publicKey) !== keyId) throw bad('the key id does not match the name and key');
  return { name, keyId, publicKey };
}

/** Strict standard base64 (RFC 4648 §4, padded, canonical): undefined when `text` is not. */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** No lone surrogates (String#isWellFormed is newer than our TypeScript lib). */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function parseKey(parse: () => KeyObject): KeyObject {
  try {
    return parse();
  } catch (error) {
    throw new LedgerError('INVALID_KEY', `not a key: ${(error as Error).message}`);
  }
}
