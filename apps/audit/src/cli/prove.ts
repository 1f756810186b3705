import type { InclusionProofResponse } from '@atr/contracts';
import { leafHashOfRecord, MerkleTree, verifyCheckpoint, verifyInclusion } from '@atr/ledger';
import type { ServerSource } from './sources/server-source';
import type { LedgerSource } from './sources/source';

export interface ProofResult {
  eventId: string;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  proof: string[];
  checkpointNote: string | null;
  /** The leaf recomputed from the event as stored and the proof verified against the signed root. */
  verified: boolean;
  why?: string;
}

const b64 = (b: Buffer) => b.toString('base64');

function check(leafIndex: number, treeSize: number, leaf: Buffer, proof: Buffer[], note: string | null, verifierKey: string | undefined, origin: string | undefined) {
  if (!note) return { verified: false, why: 'no signed checkpoint of that tree size' };
  if (!verifierKey) return { verified: false, why: 'no verifier key: pass --key' };
  const head = verifyCheckpoint(note, verifierKey, origin ? { origin } : {});
  if (head.size !== treeSize) return { verified: false, why: `the checkpoint is of size ${head.size}, not ${treeSize}` };
  return verifyInclusion(leafIndex, treeSize, leaf, proof, head.rootHash) ? { verified: true } : { verified: false, why: 'the proof does not lead to the signed root' };
}

/** Asks a server for the proof, then checks it here: the server is not trusted. */
export async function proveOnServer(source: ServerSource, eventId: string, treeSize: number | undefined, verifierKey?: string, origin?: string): Promise<ProofResult> {
  const p = await source.get<InclusionProofResponse>(`/audit/ledger/proofs/inclusion?eventId=${encodeURIComponent(eventId)}${treeSize ? `&treeSize=${treeSize}` : ''}`);
  const leaf = p.record ? leafHashOfRecord(p.record) : Buffer.from(p.leafHash, 'base64');
  const result = check(p.leafIndex, p.treeSize, leaf, p.proof.map((h) => Buffer.from(h, 'base64')), p.checkpoint?.note ?? null, verifierKey, origin);
  return { eventId, leafIndex: p.leafIndex, treeSize: p.treeSize, leafHash: b64(leaf), rootHash: p.rootHash, proof: p.proof, checkpointNote: p.checkpoint?.note ?? null, ...result, ...(p.record ? {} : { why: `${result.why ?? 'verified'} (the event itself is outside your oversight: only its hash was proven)` }) };
}

/** Builds the tree from a file or bundle and proves the event against its latest (or given) checkpoint. */
export async function proveLocally(source: LedgerSource, eventId: string, treeSize: number | undefined, verifierKey?: string, origin?: string): Promise<ProofResult> {
  const tree = new MerkleTree();
  let leafIndex: number | undefined;
  for await (const batch of source.batches()) {
    for (let i = 0; i < batch.leaves.length; i++) {
      const index = tree.append(batch.leaves[i]);
      if (leafIndex === undefined && (batch.records?.[i] ?? (batch.records ? undefined : await source.record(index)))?.eventId === eventId) leafIndex = index;
    }
  }
  if (leafIndex === undefined) throw new Error(`${source.name}: no event ${eventId}`);
  const checkpoints = await source.checkpoints();
  const chosen = treeSize ? checkpoints.find((c) => c.treeSize === treeSize) : checkpoints.filter((c) => c.treeSize > leafIndex!).at(-1);
  const size = treeSize ?? chosen?.treeSize ?? tree.size;
  if (leafIndex >= size) throw new Error(`event ${eventId} is leaf ${leafIndex}, after tree size ${size}`);
  const leaf = tree.leafHash(leafIndex);
  const proof = tree.inclusionProof(leafIndex, size);
  const result = check(leafIndex, size, leaf, proof, chosen?.note ?? null, verifierKey, origin);
  return { eventId, leafIndex, treeSize: size, leafHash: b64(leaf), rootHash: b64(tree.rootAt(size)), proof: proof.map(b64), checkpointNote: chosen?.note ?? null, ...result };
}
