import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { LedgerCheckpointed, type LedgerCheckpoint, type LedgerRecord } from '@atr/contracts';
import { openStoreReader, type EventStore, type StoredRecord } from '@atr/event-store';
import { leafHashOfRecord, loadTree, type MerkleTree } from '@atr/ledger';
import { toLedgerRecord } from '../../ledger/ledger-record';
import { hashStoreFile } from '../hash-workers';
import type { LeafBatch, LedgerSource } from './source';

const PAGE = 5000;

/** Below this many events, threads cost more than they save. */
const PARALLEL_FROM = 20_000;


export function checkpointOf(record: StoredRecord): LedgerCheckpoint | undefined {
  try {
    const p = JSON.parse(record.payload) as { treeSize: number; rootHash: string; note: string };
    return { treeSize: p.treeSize, rootHash: p.rootHash, note: p.note, position: record.globalPosition, eventId: record.eventId, recordedAt: record.recordedAt };
  } catch {
    return undefined;
  }
}

/**
 * The SQLite store file itself (opened read-only: verifying never writes), as an operator or an
 * auditor with a copy of the file sees it. Large files are hashed by worker threads.
 */
export class DbSource implements LedgerSource {
  private readonly store: EventStore;
  /** Position of each leaf seen so far, to find a leaf's record again. */
  private readonly leafPositions: number[] = [];

  private saved?: Promise<MerkleTree | undefined>;

  private readonly workers: number;
  private readonly parallelFrom: number;
  private readonly treeFile: string;

  constructor(
    readonly name: string,
    options: {
      /** Threads hashing the file (1: this thread reads and keeps the records too). */
      workers?: number;
      parallelFrom?: number;
      /** The audit service's saved tree beside the store: its leaves, once they match the signed roots, locate a change exactly. */
      treeFile?: string;
    } = {},
  ) {
    if (!existsSync(name)) throw new Error(`${name}: no such file`);
    this.workers = options.workers ?? 2;
    this.parallelFrom = options.parallelFrom ?? PARALLEL_FROM;
    this.treeFile = options.treeFile ?? path.join(path.dirname(name), 'ledger-tree.bin');
    this.store = openStoreReader({ adapter: 'sqlite', path: name });
  }

  private savedTree(): Promise<MerkleTree | undefined> {
    this.saved ??= existsSync(this.treeFile) ? loadTree(this.treeFile).catch(() => undefined) : Promise.resolve(undefined);
    return this.saved;
  }

  /** The saved tree's leaves for a batch (undefined beyond it). */
  private claimed(saved: MerkleTree | undefined, start: number, count: number): (Buffer | undefined)[] | undefined {
    if (!saved) return undefined;
    return Array.from({ length: count }, (_, i) => (start + i < saved.size ? saved.leafHash(start + i) : undefined));
  }

  async presented() {
    const [first] = await this.store.readRecords!({ types: [LedgerCheckpointed.type], limit: 1 });
    const origin = first ? (JSON.parse(first.payload) as { origin?: string }).origin : undefined;
    return { origin };
  }

  size(): Promise<number> {
    return this.store.headPosition();
  }

  async *batches(): AsyncGenerator<LeafBatch> {
    const head = await this.store.headPosition();
    const saved = await this.savedTree();
    if (this.workers > 1 && head >= this.parallelFrom) {
      let start = 0;
      for await (const chunk of hashStoreFile(this.name, head, this.workers)) {
        const leaves: Buffer[] = [];
        const positions: number[] = [];
        for (let i = 0; i < chunk.positions.length; i++) {
          leaves.push(Buffer.from(chunk.hashes.buffer, chunk.hashes.byteOffset + i * 32, 32));
          positions.push(chunk.positions[i]);
          this.leafPositions.push(chunk.positions[i]);
        }
        yield { start, leaves, positions, claimed: this.claimed(saved, start, leaves.length) };
        start += leaves.length;
      }
      return;
    }
    let after = 0;
    let start = 0;
    for (;;) {
      const records = await this.store.readRecords!({ after, upTo: head, limit: PAGE });
      if (records.length === 0) return;
      for (const r of records) this.leafPositions.push(r.globalPosition);
      yield { start, leaves: records.map(leafHashOfRecord), positions: records.map((r) => r.globalPosition), records: records.map(toLedgerRecord), claimed: this.claimed(saved, start, records.length) };
      start += records.length;
      after = records[records.length - 1].globalPosition;
    }
  }

  async checkpoints(): Promise<LedgerCheckpoint[]> {
    const found: LedgerCheckpoint[] = [];
    for (let after = 0; ; ) {
      const records = await this.store.readRecords!({ after, types: [LedgerCheckpointed.type], limit: PAGE });
      for (const r of records) {
        const checkpoint = checkpointOf(r);
        if (checkpoint) found.push(checkpoint);
      }
      if (records.length < PAGE) return found;
      after = records[records.length - 1].globalPosition;
    }
  }

  async record(leafIndex: number): Promise<LedgerRecord | undefined> {
    const position = this.leafPositions[leafIndex];
    if (position === undefined) return undefined;
    const [record] = await this.store.readRecords!({ after: position - 1, upTo: position, limit: 1 });
    return record ? toLedgerRecord(record) : undefined;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
