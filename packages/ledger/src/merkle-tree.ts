import { HashColumn } from './hash-column';
import { LedgerError } from './errors';
import { EMPTY_ROOT, assertHash, assertSize, leafHash, nodeHash, splitPoint } from './hashing';

/** HashColumn indexes nodes with 32-bit arithmetic; 4 billion leaves would need 256 GB anyway. */
export const MAX_TREE_SIZE = 2 ** 32 - 1;

/**
 * The RFC 9162 Merkle tree of an append-only log, in memory, fed leaf by leaf.
 *
 * Level k keeps the hash of every complete (perfect) subtree of 2^k leaves, left to right:
 * node i of level k is MTH(D[i·2^k : (i+1)·2^k]); level 0 holds the leaf hashes. That is 2n − 1
 * nodes at most, 32 bytes each: ≈ 64 MB for 1,000,000 leaves. Appending hashes one interior node
 * on average. Any subtree the RFC's recursion asks for, D[s:e], has s aligned to its size, so it
 * is either a stored node or — on the right edge of a past or present tree — a fold of the
 * stored nodes of e − s's binary decomposition: roots and proofs for every size ≤ n cost
 * O(log n) lookups and at most one such fold, i.e. O(log n) hashes.
 */
export class MerkleTree {
  private readonly levels: HashColumn[] = [new HashColumn()];
  /** Hashes of D[p:edgeEnd] by p, for the last right edge asked for (immutable once computed). */
  private edgeEnd = -1;
  private readonly edgeHashes = new Map<number, Buffer>();

  /** Leaves appended so far. */
  get size(): number {
    return this.levels[0].length;
  }

  /** Appends a leaf by its hash (see leafHash / leafHashOfRecord); returns its 0-based index. */
  append(leaf: Uint8Array): number {
    assertHash(leaf, 'leaf hash');
    const index = this.size;
    if (index >= MAX_TREE_SIZE) throw new LedgerError('SIZE_OUT_OF_RANGE', `the tree holds at most ${MAX_TREE_SIZE} leaves`);
    this.levels[0].push(leaf);
    // Every right child completes a subtree one level up: hash it while the pair is fresh.
    let i = index;
    let level = 0;
    while (i % 2 === 1) {
      const parent = this.levels[level].parentOf(i - 1);
      level++;
      if (this.levels.length === level) this.levels.push(new HashColumn());
      this.levels[level].push(parent);
      i = (i - 1) / 2;
    }
    return index;
  }

  /** Appends a leaf by its entry bytes: append(leafHash(entry)). */
  appendEntry(entry: Uint8Array): number {
    return this.append(leafHash(entry));
  }

  /** The hash of leaf `index` (a copy). */
  leafHash(index: number): Buffer {
    assertSize(index, 'leaf index');
    if (index >= this.size) throw new LedgerError('SIZE_OUT_OF_RANGE', `leaf index ${index} is beyond the tree of size ${this.size}`);
    return this.levels[0].get(index);
  }

  /** MTH of the whole tree (SHA-256() when empty). */
  root(): Buffer {
    return this.rootAt(this.size);
  }

  /** MTH(D[0:size]): the root the tree had when it held `size` leaves (size ≤ this.size). */
  rootAt(size: number): Buffer {
    this.assertWithin(size, 'size');
    return this.subtreeHash(0, size);
  }

  /**
   * RFC 9162 §2.1.3.1 PATH(index, D[0:size]): the inclusion proof of leaf `index` in the tree
   * of `size` leaves (default: the current size), leaf's sibling first. Throws
   * SIZE_OUT_OF_RANGE unless index < size ≤ this.size.
   */
  inclusionProof(index: number, size: number = this.size): Buffer[] {
    this.assertWithin(size, 'size');
    assertSize(index, 'leaf index');
    if (index >= size) throw new LedgerError('SIZE_OUT_OF_RANGE', `leaf index ${index} is not in a tree of size ${size}`);
    // Walk from the root down to the leaf; the RFC lists the siblings bottom-up.
    const path: Buffer[] = [];
    let start = 0;
    let end = size;
    while (end - start > 1) {
      const k = splitPoint(end - start);
      if (index < start + k) {
        path.push(this.subtreeHash(start + k, end));
        end = start + k;
      } else {
        path.push(this.subtreeHash(start, start + k));
        start += k;
      }
    }
    return path.reverse();
  }

  /**
   * RFC 9162 §2.1.4.1 PROOF(size1, D[0:size2]) (via SUBPROOF): the consistency proof between
   * the trees of size1 and size2 leaves (size2 defaults to the current size). Empty when
   * size1 is 0 or equals size2 (nothing to prove). Throws SIZE_OUT_OF_RANGE unless
   * size1 ≤ size2 ≤ this.size.
   */
  consistencyProof(size1: number, size2: number = this.size): Buffer[] {
    this.assertWithin(size2, 'size2');
    assertSize(size1, 'size1');
    if (size1 > size2) throw new LedgerError('SIZE_OUT_OF_RANGE', `size1 ${size1} is larger than size2 ${size2}`);
    if (size1 === 0 || size1 === size2) return [];
    // SUBPROOF(m, D[start:end], b) unrolled: m counts the old tree's leaves inside [start, end);
    // `complete` is the RFC's b — still on the old tree's own root path, whose root the
    // verifier already has.
    const proof: Buffer[] = [];
    let start = 0;
    let end = size2;
    let m = size1;
    let complete = true;
    for (;;) {
      if (m === end - start) {
        if (!complete) proof.push(this.subtreeHash(start, end));
        break;
      }
      const k = splitPoint(end - start);
      if (m <= k) {
        proof.push(this.subtreeHash(start + k, end));
        end = start + k;
      } else {
        proof.push(this.subtreeHash(start, start + k));
        start += k;
        m -= k;
        complete = false;
      }
    }
    return proof.reverse();
  }

  /** Bytes allocated for nodes (the tree's memory, without the JS objects around it). */
  get allocatedBytes(): number {
    return this.levels.reduce((total, column) => total + column.allocatedBytes, 0);
  }

  /** @internal The node columns, bottom-up, for saveTree (treat as read-only). */
  columns(): readonly HashColumn[] {
    return this.levels;
  }

  /** Builds the tree of a sequence of leaf hashes. */
  static fromLeafHashes(leaves: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  /** Builds the tree of a stream of leaf hashes (e.g. hashed while reading the event store). */
  static async fromLeafHashStream(leaves: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<MerkleTree> {
    const tree = new MerkleTree();
    for await (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  /** @internal A tree over columns read back by loadTree, trusted to be consistent. */
  static fromColumns(columns: HashColumn[]): MerkleTree {
    const tree = new MerkleTree();
    tree.levels.length = 0;
    tree.levels.push(...columns);
    if (tree.levels.length === 0) tree.levels.push(new HashColumn());
    return tree;
  }

  /**
   * MTH(D[start:end]) for a range the RFC recursion produces: start is a multiple of a power
   * of two ≥ end − start, so the range splits into the stored perfect subtrees of its length's
   * binary digits, which fold right to left exactly as MTH splits.
   */
  private subtreeHash(start: number, end: number): Buffer {
    let remaining = end - start;
    if (remaining === 0) return Buffer.from(EMPTY_ROOT);
    // The largest part first; a perfect subtree is that one stored node (the common case).
    let level = 31 - Math.clz32(remaining);
    let width = 2 ** level;
    if (remaining === width) return this.levels[level].get(start / width);
    // A right-edge subtree: fold the parts right to left, remembering every suffix D[p:end] —
    // proofs for one size (a checkpoint's) keep asking for suffixes of the same edge.
    if (this.edgeEnd !== end) {
      this.edgeEnd = end;
      this.edgeHashes.clear();
    }
    const parts: Buffer[] = [];
    const positions: number[] = [];
    let position = start;
    while (remaining > 0) {
      level = 31 - Math.clz32(remaining);
      width = 2 ** level;
      parts.push(this.levels[level].view(position / width));
      positions.push(position);
      position += width;
      remaining -= width;
    }
    let next = positions.findIndex((p) => this.edgeHashes.has(p));
    let hash: Buffer;
    if (next < 0) {
      next = parts.length - 1;
      hash = parts[next];
    } else {
      hash = this.edgeHashes.get(positions[next])!;
    }
    for (let i = next - 1; i >= 0; i--) {
      hash = nodeHash(parts[i], hash);
      this.edgeHashes.set(positions[i], hash);
    }
    return Buffer.from(hash);
  }

  private assertWithin(size: number, what: string): void {
    assertSize(size, what);
    if (size > this.size) throw new LedgerError('SIZE_OUT_OF_RANGE', `${what} ${size} is beyond the tree of size ${this.size}`);
  }
}
