/**
 * @atr/ledger — the verifiable history of the event log, as pure functions and one in-memory
 * tree (no I/O but the optional tree file and key file helpers):
 *
 * - RFC 9162 (Certificate Transparency v2) hashing: {@link leafHash}, {@link nodeHash},
 *   {@link EMPTY_ROOT};
 * - the entry bytes of a stored event (RFC 8785 JCS of its stored columns):
 *   {@link entryBytes}, {@link leafHashOfRecord};
 * - an append-only {@link MerkleTree} with roots, inclusion and consistency proofs at any past
 *   size, and {@link saveTree}/{@link loadTree};
 * - the RFC's verifiers {@link verifyInclusion} and {@link verifyConsistency};
 * - C2SP signed checkpoints with Ed25519: {@link createSigner}, {@link verifyCheckpoint},
 *   {@link parseCheckpoint}, {@link verifierKeyOf}.
 *
 * Every failure of input is a {@link LedgerError} with a `code`; a proof that does not verify
 * is `false`, not an error.
 */
export { LedgerError, type LedgerErrorCode } from './errors';
export { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash } from './hashing';
export { type LedgerRecord, LEDGER_RECORD_MEMBERS, entryBytes, entryJson, leafHashOfRecord } from './entry';
export { verifyConsistency, verifyInclusion } from './verify';
export { MAX_TREE_SIZE, MerkleTree } from './merkle-tree';
export { loadTree, saveTree } from './tree-file';
export {
  type KeyPairPem,
  type VerifierKey,
  generateKeyPairPem,
  keyIdOf,
  loadOrCreatePrivateKeyFile,
  parseVerifierKey,
  privateKeyFromPem,
  publicKeyOf,
  rawPublicKey,
  verifierKeyOf,
} from './keys';
export { type NoteSignature, type NoteSigner, type ParsedNote, type VerifiedNote, createNoteSigner, parseNote, verifyNote } from './signed-note';
export {
  type Checkpoint,
  type CheckpointSigner,
  type TreeHead,
  type VerifiedCheckpoint,
  type VerifyCheckpointOptions,
  createSigner,
  formatCheckpoint,
  parseCheckpoint,
  parseCheckpointText,
  verifyCheckpoint,
} from './checkpoint';
