import type { LedgerCheckpoint, LedgerRecord } from '@atr/contracts';

/**
 * Consecutive leaves of the log, from leaf `start`. `leaves` are what the verifier puts in its
 * tree: recomputed from the stored record where there is one, else the hash the source gives.
 */
export interface LeafBatch {
  start: number;
  leaves: Buffer[];
  /** Global position of each leaf (undefined when the source gave only a hash). */
  positions: (number | undefined)[];
  /** The stored records, when the source has them (not kept by the parallel file reader). */
  records?: (LedgerRecord | undefined)[];
  /** Leaf hashes the source claims (a server's own tree), to compare with the recomputed ones. */
  claimed?: (Buffer | undefined)[];
}

/** Where a verification reads the log from: the store file, an exported bundle or a live server. */
export interface LedgerSource {
  /** For messages: "events.db", "bundle.ndjson", "http://…". */
  readonly name: string;
  /** The origin and key the source presents (trusted only when the auditor passes no --key). */
  presented(): Promise<{ origin?: string; verifierKey?: string }>;
  /** Leaves to expect (for the progress bar). */
  size(): Promise<number>;
  batches(): AsyncIterable<LeafBatch>;
  /** The signed checkpoints the source holds (in a store: its LedgerCheckpointed events). */
  checkpoints(): Promise<LedgerCheckpoint[]>;
  /** The stored record of a leaf, to show what differs (undefined when the source cannot tell). */
  record(leafIndex: number): Promise<LedgerRecord | undefined>;
  close(): Promise<void>;
}
