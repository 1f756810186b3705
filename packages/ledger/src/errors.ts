/**
 * What went wrong, for callers that branch on it (the CLI names the problem, HTTP maps it to a
 * status). A proof that simply does not verify is not an error: the verifiers return false.
 */
export type LedgerErrorCode =
  /** A hash is not a 32-byte Buffer/Uint8Array. */
  | 'INVALID_HASH'
  /** A leaf index or tree size is not a non-negative safe integer. */
  | 'INVALID_SIZE'
  /** A size or index beyond what the tree holds, or size1 > size2 when generating a proof. */
  | 'SIZE_OUT_OF_RANGE'
  /** A stored record member has the wrong type (entry bytes are only defined for strings/integers). */
  | 'INVALID_RECORD'
  /** A saved tree file is truncated, of another format, or fails its checksum. */
  | 'CORRUPT_TREE_FILE'
  /** A signed note breaks the C2SP signed-note format (control characters, no blank line, bad signature line…). */
  | 'MALFORMED_NOTE'
  /** The note text is not a C2SP checkpoint (origin, size, root hash lines). */
  | 'MALFORMED_CHECKPOINT'
  /** A verifier key string is not `<name>+<hex key id>+<base64(0x01 ‖ public key)>` or its id does not match. */
  | 'MALFORMED_VERIFIER_KEY'
  /** A key name is empty or contains a space or '+'. */
  | 'INVALID_KEY_NAME'
  /** A key is not an Ed25519 key. */
  | 'INVALID_KEY'
  /** No signature of the note is by a key the verifier knows. */
  | 'UNKNOWN_KEY'
  /** A signature by a known key does not verify (the note was changed or signed by someone else). */
  | 'BAD_SIGNATURE'
  /** A verified checkpoint is of another log than the caller expected. */
  | 'WRONG_ORIGIN';

/** The one error type of @atr/ledger; `code` says what is wrong, the message names the field. */
export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}
