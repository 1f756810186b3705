import { type KeyObject, sign, verify } from 'node:crypto';
import { LedgerError } from './errors';
import { type VerifierKey, assertKeyName, decodeBase64, isWellFormed, keyIdOf, parseVerifierKey, privateKeyFromPem, publicKeyOf, verifierKeyOf } from './keys';

/*
 * C2SP signed notes (c2sp.org/signed-note), Ed25519 only:
 *
 *   <text, ending in a newline>
 *   <empty line>
 *   — <key name> <base64(4-byte big-endian key id ‖ 64-byte Ed25519 signature of the text)>
 *   … one line per signature
 */

const EM_DASH = '\u2014';
/** The spec asks verifiers to accept at least 16 signatures and to cap them. */
export const MAX_NOTE_SIGNATURES = 100;
const ED25519_SIGNATURE_SIZE = 64;

/** One signature line of a note. */
export interface NoteSignature {
  keyName: string;
  /** Big-endian uint32 from the first four bytes. */
  keyId: number;
  /** The signature bytes after the key id (64 for Ed25519). */
  signature: Buffer;
}

/** A note split into its text and signature lines, not verified. */
export interface ParsedNote {
  /** The signed text, with its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** Signs note texts with one Ed25519 key under one key name. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** `<name>+<key id>+<key>`: what verifiers configure (publish it). */
  readonly verifierKey: string;
  readonly publicKey: KeyObject;
  /** The signed note: `text` (which must end in a newline), a blank line and this key's signature line. */
  signNote(text: string): string;
}

/** A signer for key `name` (non-empty, no spaces or '+') from an Ed25519 private key (KeyObject or PEM). */
export function createNoteSigner(name: string, privateKey: KeyObject | string): NoteSigner {
  assertKeyName(name);
  const key = privateKeyFromPem(privateKey);
  const publicKey = publicKeyOf(key);
  const keyId = keyIdOf(name, publicKey);
  const verifierKey = verifierKeyOf(name, publicKey);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(keyId);
  return {
    name,
    keyId,
    verifierKey,
    publicKey,
    signNote(text: string): string {
      assertNoteText(text);
      const signature = sign(null, Buffer.from(text, 'utf8'), key);
      return `${text}\n${EM_DASH} ${name} ${Buffer.concat([prefix, signature]).toString('base64')}\n`;
    },
  };
}

function malformed(why: string): LedgerError {
  return new LedgerError('MALFORMED_NOTE', `malformed note: ${why}`);
}

/** Note texts are well-formed, free of control characters but newline, and end in a newline. */
function assertNoteText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw malformed('the text must end with a newline');
  checkCharacters(text);
}

function checkCharacters(note: string): void {
  if (!isWellFormed(note)) throw malformed('not valid UTF-8 (lone surrogate)');
  const control = /[\u0000-\u0009\u000b-\u001f]/.exec(note);
  if (control) throw malformed(`control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} at offset ${control.index}`);
}

/**
 * Splits a signed note into its text and signatures, strictly: valid UTF-8, no control
 * character but newline, the text separated from ≥ 1 signature lines by the last blank line,
 * each line `— <key name> <canonical base64 of ≥ 5 bytes>`. Throws MALFORMED_NOTE.
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  let source: string;
  if (typeof note === 'string') {
    source = note;
  } else {
    try {
      source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
    } catch {
      throw malformed('not valid UTF-8');
    }
  }
  checkCharacters(source);
  const split = source.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line between the text and the signatures');
  const text = source.slice(0, split + 1);
  const block = source.slice(split + 2);
  if (!block.endsWith('\n')) throw malformed('no signature line, or the last one does not end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line, i) => parseSignatureLine(line, i + 1));
  return { text, signatures };
}

function parseSignatureLine(line: string, number: number): NoteSignature {
  const bad = (why: string) => malformed(`signature line ${number}: ${why}`);
  if (!line.startsWith(`${EM_DASH} `)) throw bad('does not start with "— "');
  const rest = line.slice(2);
  const space = rest.lastIndexOf(' ');
  if (space < 0) throw bad('expected "— <key name> <signature>"');
  const keyName = rest.slice(0, space);
  try {
    assertKeyName(keyName);
  } catch {
    throw bad(`invalid key name ${JSON.stringify(keyName)}`);
  }
  const bytes = decodeBase64(rest.slice(space + 1));
  if (bytes === undefined) throw bad('the signature is not canonical base64');
  if (bytes.length < 5) throw bad('the signature is shorter than a key id and one byte');
  return { keyName, keyId: bytes.readUInt32BE(0), signature: Buffer.from(bytes.subarray(4)) };
}

/** What verifyNote returns: the text and the names of the known keys whose signatures verified. */
export interface VerifiedNote {
  text: string;
  signatures: NoteSignature[];
  verifiedBy: string[];
}

/**
 * Opens a signed note with the keys the caller trusts (verifier key strings or parsed keys).
 * As the spec says, signatures by unknown keys are ignored, a known key's signature that fails
 * rejects the whole note (BAD_SIGNATURE), a known key signing twice is MALFORMED_NOTE, and a
 * note no known key signed is rejected (UNKNOWN_KEY).
 */
export function verifyNote(note: string | Uint8Array, verifierKeys: string | VerifierKey | readonly (string | VerifierKey)[]): VerifiedNote {
  const keys = (Array.isArray(verifierKeys) ? verifierKeys : [verifierKeys]).map((k: string | VerifierKey) =>
    typeof k === 'string' ? parseVerifierKey(k) : k,
  );
  const { text, signatures } = parseNote(note);
  const message = Buffer.from(text, 'utf8');
  const verified = new Set<VerifierKey>();
  for (const signature of signatures) {
    // A key is its name and id together: a known name with another id is someone else's key.
    const key = keys.find((k) => k.name === signature.keyName && k.keyId === signature.keyId);
    if (key === undefined) continue;
    if (verified.has(key)) throw malformed(`two signatures by ${key.name}`);
    const valid =
      signature.signature.length === ED25519_SIGNATURE_SIZE && verify(null, message, key.publicKey, signature.signature);
    if (!valid) throw new LedgerError('BAD_SIGNATURE', `the signature of ${key.name} does not verify: the note was changed or signed by another key`);
    verified.add(key);
  }
  const verifiedBy = [...verified].map((k) => k.name);
  if (verifiedBy.length === 0) {
    const names = signatures.map((s) => `${s.keyName}+${s.keyId.toString(16).padStart(8, '0')}`).join(', ');
    throw new LedgerError('UNKNOWN_KEY', `no signature by a known key (signed by ${names}; known: ${keys.map((k) => k.name).join(', ') || 'none'})`);
  }
  return { text, signatures, verifiedBy };
}
