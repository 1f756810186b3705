import type { LedgerCheckpoint, LedgerRecord } from '@atr/contracts';
import { LedgerError, MerkleTree, verifyCheckpoint, verifyConsistency } from '@atr/ledger';
import type { LeafBatch, LedgerSource } from './sources/source';

export type ProblemKind =
  | 'MISSING_EVENTS'
  | 'LEAF_MISMATCH'
  | 'DIFFERS_FROM_EXPORT'
  | 'LOG_SHORTER_THAN_EXPORT'
  | 'CHECKPOINT_SIGNATURE'
  | 'CHECKPOINT_ALTERED'
  | 'CHECKPOINT_BEYOND_LOG'
  | 'CHECKPOINT_ROOT'
  | 'CHECKPOINTS_INCONSISTENT';

export interface Difference {
  field: string;
  now: unknown;
  before: unknown;
}

export interface Problem {
  kind: ProblemKind;
  /** The first leaf (0-based place in the log) the problem concerns, when known. */
  leafIndex?: number;
  /** Its global position, when known. */
  position?: number;
  message: string;
  /** What differs from the export, field by field. */
  differences?: Difference[];
}

export interface VerificationReport {
  source: string;
  ok: boolean;
  leaves: number;
  rootHash: string;
  origin?: string;
  verifierKey?: string;
  keyTrust: 'given' | 'presented by the source';
  checkpoints: { total: number; verified: number; consistencyProofs: number };
  /** The earliest place where the log is proven wrong. */
  firstBad?: { leafIndex: number; position?: number; precise: boolean; message: string };
  problems: Problem[];
  durationMs: number;
}

export interface VerifyOptions {
  /** The verifier key to trust (published at GET /audit/ledger/key and in the README). */
  verifierKey?: string;
  origin?: string;
  /** An earlier export: every leaf is compared with it, so a change is located exactly. */
  against?: LedgerSource;
  onProgress?: (leaves: number) => void;
  /** Problems listed at most (the count of the rest is reported). */
  maxProblems?: number;
}

const b64 = (hash: Buffer) => hash.toString('base64');

/** Leaves of a source one by one. */
async function* leavesOf(source: LedgerSource): AsyncGenerator<{ index: number; leaf: Buffer; batch: LeafBatch; i: number }> {
  for await (const batch of source.batches()) {
    for (let i = 0; i < batch.leaves.length; i++) yield { index: batch.start + i, leaf: batch.leaves[i], batch, i };
  }
}

function differences(now: LedgerRecord | undefined, before: LedgerRecord | undefined): Difference[] | undefined {
  if (!now || !before) return undefined;
  const fields = Object.keys(before) as (keyof LedgerRecord)[];
  return fields.filter((f) => now[f] !== before[f]).map((field) => ({ field, now: now[field], before: before[field] }));
}

/**
 * Verifies a log against its signed checkpoints: every leaf recomputed from the event as stored,
 * every checkpoint's signature checked with the trusted key and its root compared with the tree
 * of the log, consistency proven between consecutive checkpoints. Locates what it can: a gap
 * in the positions, a leaf that differs from the source's own (authenticated) tree or from an
 * earlier export; otherwise the range between the last good and the first bad checkpoint.
 */
export async function verifyLedger(source: LedgerSource, options: VerifyOptions = {}): Promise<VerificationReport> {
  const began = performance.now();
  const limit = options.maxProblems ?? 20;
  const problems: Problem[] = [];
  let dropped = 0;
  const report = (problem: Problem) => (problems.length < limit ? problems.push(problem) : dropped++);

  const presented = await source.presented();
  const verifierKey = options.verifierKey ?? presented.verifierKey;
  const origin = options.origin ?? presented.origin ?? verifierKey?.split('+')[0];
  const tree = new MerkleTree();
  // the leaves the source claims (its own tree), checked against the signatures before trusted
  const claimedTree = new MerkleTree();
  let claimedContiguous = true;
  const claimedMismatches: Problem[] = [];
  const exportMismatches: { index: number; now?: LedgerRecord; before?: LedgerRecord }[] = [];
  let moreMismatches = 0;
  const against = options.against ? leavesOf(options.against) : undefined;
  let againstLeaves = 0;
  let expectPosition: number | undefined;
  let dense: boolean | undefined;

  for await (const { index, leaf, batch, i } of leavesOf(source)) {
    const position = batch.positions[i];
    if (position !== undefined) {
      // a store that numbers its log 1, 2, 3… shows a deleted event as a gap
      dense ??= position === index + 1;
      if (dense && expectPosition !== undefined && position !== expectPosition) {
        report({
          kind: 'MISSING_EVENTS',
          leafIndex: index,
          position: expectPosition,
          message:
            position > expectPosition
              ? `positions jump from ${expectPosition - 1} to ${position}: the event${position - expectPosition > 1 ? `s ${expectPosition}–${position - 1} are` : ` ${expectPosition} is`} missing`
              : `position ${position} comes after ${expectPosition - 1}: the log is out of order`,
        });
      }
      expectPosition = position + 1;
    } else if (expectPosition !== undefined) {
      expectPosition++;
    }
    const claimed = batch.claimed?.[i];
    if (claimed && claimedContiguous) {
      claimedTree.append(claimed);
      if (!claimed.equals(leaf) && claimedMismatches.length < limit) {
        claimedMismatches.push({ kind: 'LEAF_MISMATCH', leafIndex: index, position, message: `leaf ${index}${position ? ` (position ${position})` : ''}: the stored event no longer hashes to the leaf the ledger recorded when it was written` });
      }
    } else claimedContiguous = false;
    if (against) {
      const earlier = await against.next();
      if (!earlier.done) {
        againstLeaves++;
        if (!earlier.value.leaf.equals(leaf)) {
          if (exportMismatches.length < limit) exportMismatches.push({ index, now: batch.records?.[i], before: earlier.value.batch.records?.[earlier.value.i] });
          else moreMismatches++;
        }
      }
    }
    tree.append(leaf);
    if ((index & 4095) === 0) options.onProgress?.(index + 1);
  }
  options.onProgress?.(tree.size);
  if (against) {
    for (let rest = await against.next(); !rest.done; rest = await against.next()) againstLeaves++;
    if (againstLeaves > tree.size) {
      report({ kind: 'LOG_SHORTER_THAN_EXPORT', leafIndex: tree.size, message: `the log has ${tree.size} events, the earlier export ${againstLeaves}: events from leaf ${tree.size} on are gone` });
    }
    for (const mismatch of exportMismatches) {
      const now = mismatch.now ?? (await source.record(mismatch.index));
      const before = mismatch.before ?? (await options.against!.record(mismatch.index));
      const position = now?.globalPosition ?? before?.globalPosition;
      report({ kind: 'DIFFERS_FROM_EXPORT', leafIndex: mismatch.index, position, message: `leaf ${mismatch.index}${position ? ` (position ${position})` : ''}: differs from the earlier export`, differences: differences(now, before) });
    }
    dropped += moreMismatches;
  }

  // checkpoints: those in the log, and those of the earlier export (a truncation may have removed the later ones)
  const byNote = new Map<string, LedgerCheckpoint>();
  for (const c of [...(await source.checkpoints()), ...(options.against ? await options.against.checkpoints() : [])]) byNote.set(c.note, c);
  const checkpoints = [...byNote.values()].sort((a, b) => a.treeSize - b.treeSize);
  let verified = 0;
  let proofs = 0;
  let lastGood = { size: 0, root: tree.rootAt(0) };
  // the source's own leaves are authentic up to the largest signed root they reproduce, unless one contradicts them
  let claimedAuthenticUpTo = 0;
  let claimedContradicted = false;
  let firstRange: { from: number; to: number; message: string } | undefined;
  if (!verifierKey && checkpoints.length) {
    report({ kind: 'CHECKPOINT_SIGNATURE', message: 'no verifier key to check the checkpoints with: pass --key (GET /audit/ledger/key, or the README)' });
  }
  for (const c of verifierKey ? checkpoints : []) {
    const where = `checkpoint of size ${c.treeSize} (recorded at position ${c.position})`;
    let head;
    try {
      head = verifyCheckpoint(c.note, verifierKey!, origin ? { origin } : {});
    } catch (error) {
      report({ kind: 'CHECKPOINT_SIGNATURE', position: c.position, message: `${where}: ${error instanceof LedgerError ? `${error.code}: ` : ''}${(error as Error).message}` });
      continue;
    }
    if (head.size !== c.treeSize || b64(head.rootHash) !== c.rootHash) {
      report({ kind: 'CHECKPOINT_ALTERED', position: c.position, message: `${where}: its event says size ${c.treeSize} root ${c.rootHash}, the signed note size ${head.size} root ${b64(head.rootHash)}` });
    }
    if (head.size <= claimedTree.size) {
      if (claimedTree.rootAt(head.size).equals(head.rootHash)) claimedAuthenticUpTo = Math.max(claimedAuthenticUpTo, head.size);
      else claimedContradicted = true;
    }
    if (head.size > tree.size) {
      report({ kind: 'CHECKPOINT_BEYOND_LOG', leafIndex: tree.size, message: `${where}: signed over ${head.size} events, the log has only ${tree.size}: events were removed from its end` });
      firstRange ??= { from: lastGood.size, to: tree.size, message: `${where} covers more events than the log has` };
      continue;
    }
    const root = tree.rootAt(head.size);
    if (!root.equals(head.rootHash)) {
      report({ kind: 'CHECKPOINT_ROOT', message: `${where}: the log's first ${head.size} events no longer hash to the signed root — an event among leaves ${lastGood.size}–${head.size - 1} was changed, removed or reordered` });
      firstRange ??= { from: lastGood.size, to: head.size - 1, message: `an event among leaves ${lastGood.size}–${head.size - 1} was changed, removed or reordered` };
      continue;
    }
    verified++;
    if (lastGood.size > 0 && lastGood.size < head.size) {
      proofs++;
      if (!verifyConsistency(lastGood.size, head.size, tree.consistencyProof(lastGood.size, head.size), lastGood.root, head.rootHash)) {
        report({ kind: 'CHECKPOINTS_INCONSISTENT', message: `checkpoints of sizes ${lastGood.size} and ${head.size} are not consistent` });
      }
    }
    lastGood = { size: head.size, root: head.rootHash };
  }
  // the source's own leaves locate a change exactly, once they proved to match every signed root
  const authentic = (p: Problem) => !claimedContradicted && p.leafIndex! < claimedAuthenticUpTo;
  for (const problem of claimedMismatches) {
    if (authentic(problem)) report(problem);
    else report({ ...problem, message: `${problem.message} (unconfirmed: that recorded leaf is not covered by a signed checkpoint it reproduces)` });
  }
  if (dropped) problems.push({ kind: problems[problems.length - 1]?.kind ?? 'CHECKPOINT_ROOT', message: `… and ${dropped} more problems` });

  const precise = problems.filter((p) => p.leafIndex !== undefined && (p.kind !== 'LEAF_MISMATCH' || authentic(p)));
  const first = precise.sort((a, b) => a.leafIndex! - b.leafIndex!)[0];
  const firstBad = first
    ? { leafIndex: first.leafIndex!, position: first.position, precise: true, message: first.message }
    : firstRange
      ? { leafIndex: firstRange.from, precise: false, message: firstRange.message }
      : problems.find((p) => p.leafIndex !== undefined)
        ? { leafIndex: problems.find((p) => p.leafIndex !== undefined)!.leafIndex!, precise: false, message: problems.find((p) => p.leafIndex !== undefined)!.message }
        : undefined;
  return {
    source: source.name,
    ok: problems.length === 0,
    leaves: tree.size,
    rootHash: b64(tree.root()),
    origin,
    verifierKey,
    keyTrust: options.verifierKey ? 'given' : 'presented by the source',
    checkpoints: { total: checkpoints.length, verified, consistencyProofs: proofs },
    ...(firstBad ? { firstBad } : {}),
    problems,
    durationMs: Math.round(performance.now() - began),
  };
}
