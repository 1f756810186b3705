import { BUNDLE_FORMAT, BundleWriter } from './bundle';
import type { LedgerSource } from './sources/source';

/**
 * Writes a bundle of the source: every leaf (hash, and the stored event where the source has
 * it) and every signed checkpoint, for verification offline and for later comparison.
 */
export async function exportBundle(source: LedgerSource, out: string, onProgress?: (leaves: number) => void): Promise<{ leaves: number; records: number; checkpoints: number }> {
  const presented = await source.presented();
  const writer = new BundleWriter(out);
  let leaves = 0;
  let records = 0;
  try {
    await writer.write({ kind: 'header', format: BUNDLE_FORMAT, ...presented, treeSize: await source.size(), exportedAt: new Date().toISOString(), exportedFrom: source.name });
    for await (const batch of source.batches()) {
      for (let i = 0; i < batch.leaves.length; i++) {
        const record = batch.records?.[i] ?? (batch.records ? undefined : await source.record(batch.start + i));
        if (record) records++;
        await writer.write({ kind: 'entry', leafIndex: batch.start + i, leafHash: (batch.claimed?.[i] ?? batch.leaves[i]).toString('base64'), record: record ?? null });
      }
      leaves += batch.leaves.length;
      onProgress?.(leaves);
    }
    const checkpoints = await source.checkpoints();
    for (const c of checkpoints) await writer.write({ kind: 'checkpoint', ...c });
    return { leaves, records, checkpoints: checkpoints.length };
  } finally {
    await writer.close();
  }
}
