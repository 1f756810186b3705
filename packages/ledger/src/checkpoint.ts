import type { KeyObject } from 'node:crypto';
import { LedgerError } from './errors';
import { HASH_SIZE, assertHash, assertSize } from './hashing';
import { type VerifierKey, decodeBase64, isWellFormed } from './keys';
import { type NoteSignature, createNoteSigner, parseNote, verifyNote } from './signed-note';

/*
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): a signed note whose text is
 *
 *   <origin>\n<tree size, decimal, no leading zero>\n<base64 root hash>\n[<extension line>\n…]
 */

/** A tree head: which log, how many leaves, the root hash at that size. */
export interface TreeHead {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Opaque, non-empty extra lines (the spec discourages them; not auditable by monitors). */
  extensions?: readonly string[];
}

/** A checkpoint read from a note. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
  /** The signed text (the checkpoint body, with its final newline). */
  text: string;
  signatures: NoteSignature[];
}

/** A verified checkpoint: the checkpoint and the names of the known keys that signed it. */
export interface VerifiedCheckpoint extends Checkpoint {
  verifiedBy: string[];
}

/** Signs tree heads as C2SP checkpoints with one Ed25519 key. */
export interface CheckpointSigner {
  readonly name: string;
  readonly keyId: number;
  /** `<name>+<key id>+<key>`: publish it (endpoint, README); auditors verify with it. */
  readonly verifierKey: string;
  readonly publicKey: KeyObject;
  /** The signed checkpoint note text. */
  signCheckpoint(head: TreeHead): string;
}

/**
 * A checkpoint signer for key `name` — by the spec's advice the log's origin, e.g.
 * `audit.example.gov.cn/clue-referral` — from an Ed25519 private key (KeyObject or PEM).
 */
export function createSigner(name: string, privateKey: KeyObject | string): CheckpointSigner {
  const signer = createNoteSigner(name, privateKey);
  return {
    name: signer.name,
    keyId: signer.keyId,
    verifierKey: signer.verifierKey,
    publicKey: signer.publicKey,
    signCheckpoint: (head) => signer.signNote(formatCheckpoint(head)),
  };
}

/** The checkpoint text (unsigned) of a tree head; throws for a head that cannot be written. */
export function formatCheckpoint(head: TreeHead): string {
  const { origin, size, rootHash, extensions = [] } = head;
  if (typeof origin !== 'string' || origin.length === 0 || origin.includes('\n') || !isWellFormed(origin)) {
    throw new LedgerError('MALFORMED_CHECKPOINT', 'origin must be a non-empty line of valid text');
  }
  assertSize(size, 'size');
  assertHash(rootHash, 'rootHash');
  for (const line of extensions) {
    if (typeof line !== 'string' || line.length === 0 || line.includes('\n')) {
      throw new LedgerError('MALFORMED_CHECKPOINT', 'extension lines must be non-empty single lines');
    }
  }
  const lines = [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions];
  return `${lines.join('\n')}\n`;
}

/** Parses a checkpoint body (the note text), strictly; throws MALFORMED_CHECKPOINT naming the line. */
export function parseCheckpointText(text: string): Omit<Checkpoint, 'signatures'> {
  const bad = (why: string) => new LedgerError('MALFORMED_CHECKPOINT', `malformed checkpoint: ${why}`);
  if (!text.endsWith('\n')) throw bad('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad('expected origin, tree size and root hash lines');
  const empty = lines.findIndex((line) => line.length === 0);
  if (empty >= 0) throw bad(`line ${empty + 1} is empty`);
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw bad(`tree size ${JSON.stringify(sizeLine)} is not a decimal without leading zeros`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw bad(`tree size ${sizeLine} is too large`);
  const rootHash = decodeBase64(rootLine);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) throw bad(`root hash ${JSON.stringify(rootLine)} is not base64 of ${HASH_SIZE} bytes`);
  return { origin, size, rootHash, extensions, text };
}

/**
 * Reads a signed checkpoint without verifying it (to show who signed it, or before choosing
 * keys). Throws MALFORMED_NOTE / MALFORMED_CHECKPOINT.
 */
export function parseCheckpoint(note: string | Uint8Array): Checkpoint {
  const { text, signatures } = parseNote(note);
  return { ...parseCheckpointText(text), signatures };
}

export interface VerifyCheckpointOptions {
  /** The origin the caller expects (its log); another one throws WRONG_ORIGIN. */
  origin?: string;
}

/**
 * Verifies a signed checkpoint with the keys the caller trusts and returns it. Throws
 * LedgerError: MALFORMED_NOTE, MALFORMED_VERIFIER_KEY, UNKNOWN_KEY (no signature by a trusted
 * key), BAD_SIGNATURE (a trusted key's signature fails: changed origin, size or root…),
 * MALFORMED_CHECKPOINT, WRONG_ORIGIN.
 */
export function verifyCheckpoint(
  note: string | Uint8Array,
  verifierKeys: string | VerifierKey | readonly (string | VerifierKey)[],
  options: VerifyCheckpointOptions = {},
): VerifiedCheckpoint {
  // The text means nothing until a trusted signature covers it: signatures first.
  const { text, signatures, verifiedBy } = verifyNote(note, verifierKeys);
  const checkpoint = parseCheckpointText(text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new LedgerError('WRONG_ORIGIN', `checkpoint of ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(options.origin)}`);
  }
  return { ...checkpoint, signatures, verifiedBy };
}
