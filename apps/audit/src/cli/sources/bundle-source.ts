import { existsSync } from 'node:fs';
import type { LedgerCheckpoint, LedgerRecord } from '@atr/contracts';
import { leafHashOfRecord } from '@atr/ledger';
import { readBundle, type BundleCheckpoint, type BundleHeader } from '../bundle';
import type { LeafBatch, LedgerSource } from './source';

const BATCH = 2000;

/** An exported bundle (see bundle.ts): verified offline, no server needed. */
export class BundleSource implements LedgerSource {
  private header?: BundleHeader;
  private readonly found: LedgerCheckpoint[] = [];
  /** Records by leaf index, kept only while reading, for the few a report shows. */
  private readonly kept = new Map<number, LedgerRecord>();

  constructor(
    readonly name: string,
    /** Leaves whose records to keep for record() (e.g. those a comparison asks about). */
    private readonly keep: (leafIndex: number) => boolean = () => false,
  ) {
    if (!existsSync(name)) throw new Error(`${name}: no such file`);
  }

  private async readHeader(): Promise<BundleHeader> {
    if (!this.header) {
      for await (const line of readBundle(this.name)) {
        this.header = line as BundleHeader;
        break;
      }
    }
    return this.header!;
  }

  async presented() {
    const { origin, verifierKey } = await this.readHeader();
    return { origin, verifierKey };
  }

  async size(): Promise<number> {
    return (await this.readHeader()).treeSize;
  }

  async *batches(): AsyncGenerator<LeafBatch> {
    this.found.length = 0;
    let batch: LeafBatch = { start: 0, leaves: [], positions: [], records: [], claimed: [] };
    let next = 0;
    for await (const line of readBundle(this.name)) {
      if (line.kind === 'checkpoint') {
        const { kind: _kind, ...checkpoint } = line as BundleCheckpoint;
        this.found.push(checkpoint);
        continue;
      }
      if (line.kind !== 'entry') continue;
      if (line.leafIndex !== next) throw new Error(`${this.name}: entry for leaf ${line.leafIndex} where leaf ${next} was expected`);
      next++;
      const claimed = Buffer.from(line.leafHash, 'base64');
      const record = line.record ?? undefined;
      if (record && this.keep(line.leafIndex)) this.kept.set(line.leafIndex, record);
      batch.leaves.push(record ? leafHashOfRecord(record) : claimed);
      batch.positions.push(record?.globalPosition);
      batch.records!.push(record);
      batch.claimed!.push(claimed);
      if (batch.leaves.length === BATCH) {
        yield batch;
        batch = { start: next, leaves: [], positions: [], records: [], claimed: [] };
      }
    }
    if (batch.leaves.length) yield batch;
  }

  async checkpoints(): Promise<LedgerCheckpoint[]> {
    if (this.found.length === 0) {
      for await (const line of readBundle(this.name)) {
        if (line.kind === 'checkpoint') {
          const { kind: _kind, ...checkpoint } = line as BundleCheckpoint;
          this.found.push(checkpoint);
        }
      }
    }
    return this.found;
  }

  async record(leafIndex: number): Promise<LedgerRecord | undefined> {
    return this.kept.get(leafIndex);
  }

  async close(): Promise<void> {}
}
