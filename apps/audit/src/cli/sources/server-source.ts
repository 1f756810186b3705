import type { LedgerCheckpoint, LedgerEntriesResponse, LedgerKeyResponse, LedgerRecord, LedgerStatusResponse } from '@atr/contracts';
import { leafHashOfRecord } from '@atr/ledger';
import type { LeafBatch, LedgerSource } from './source';

const PAGE = 10_000;

/** A live platform over HTTP with an auditor's API key: every leaf hash, and the events the auditor oversees. */
export class ServerSource implements LedgerSource {
  private readonly kept = new Map<number, LedgerRecord>();

  constructor(
    readonly name: string,
    private readonly apiKey: string | undefined,
    private readonly keep: (leafIndex: number) => boolean = () => false,
  ) {}

  async get<T>(path: string, auth = true): Promise<T> {
    const response = await fetch(new URL(path, this.name), { headers: auth && this.apiKey ? { 'x-api-key': this.apiKey } : {} });
    if (!response.ok) throw new Error(`${this.name}${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as T;
  }

  async presented() {
    const key = await this.get<LedgerKeyResponse>('/audit/ledger/key', false);
    return { origin: key.origin, verifierKey: key.verifierKey };
  }

  async size(): Promise<number> {
    return (await this.get<LedgerStatusResponse>('/audit/ledger')).treeSize;
  }

  async *batches(): AsyncGenerator<LeafBatch> {
    const size = await this.size();
    for (let after = 0; after < size; ) {
      const page = await this.get<LedgerEntriesResponse>(`/audit/ledger/entries?after=${after}&limit=${Math.min(PAGE, size - after)}`);
      if (page.items.length === 0) throw new Error(`${this.name}: the server sent no leaf from ${after} though its tree has ${size}`);
      const batch: LeafBatch = { start: after, leaves: [], positions: [], records: [], claimed: [] };
      for (const item of page.items) {
        if (item.leafIndex !== after + batch.leaves.length) throw new Error(`${this.name}: leaf ${item.leafIndex} where leaf ${after + batch.leaves.length} was expected`);
        const claimed = Buffer.from(item.leafHash, 'base64');
        const record = item.record ?? undefined;
        if (record && this.keep(item.leafIndex)) this.kept.set(item.leafIndex, record);
        batch.leaves.push(record ? leafHashOfRecord(record) : claimed);
        batch.positions.push(record?.globalPosition);
        batch.records!.push(record);
        batch.claimed!.push(claimed);
      }
      yield batch;
      after += page.items.length;
    }
  }

  async checkpoints(): Promise<LedgerCheckpoint[]> {
    const all: LedgerCheckpoint[] = [];
    for (let after = 0; ; ) {
      const { items } = await this.get<{ items: LedgerCheckpoint[] }>(`/audit/ledger/checkpoints?after=${after}&limit=1000`);
      all.push(...items);
      if (items.length < 1000) return all;
      after = items[items.length - 1].treeSize;
    }
  }

  async record(leafIndex: number): Promise<LedgerRecord | undefined> {
    return this.kept.get(leafIndex);
  }

  async close(): Promise<void> {}
}
