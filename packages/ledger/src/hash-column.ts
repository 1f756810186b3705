import { HASH_SIZE, nodeHashOfPair } from './hashing';

/** Nodes per full chunk: 32,768 × 32 bytes = 1 MiB. */
const CHUNK_SHIFT = 15;
const CHUNK_NODES = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_NODES - 1;
/** A level's first chunk starts this small, so the many short upper levels cost almost nothing. */
const FIRST_CAPACITY = 16;

/**
 * The 32-byte nodes of one tree level, appended in order and never changed. Stored in 1 MiB
 * chunks: appending never copies more than the last, growing chunk (amortised O(1)), and a
 * level never holds more than one partly used chunk, so memory stays within 1 MiB of the data.
 */
export class HashColumn {
  private readonly chunks: Buffer[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(hash: Uint8Array): void {
    const chunkIndex = this.count >>> CHUNK_SHIFT;
    const offset = this.count & CHUNK_MASK;
    let chunk = this.chunks[chunkIndex];
    if (chunk === undefined) {
      chunk = Buffer.allocUnsafe(FIRST_CAPACITY * HASH_SIZE);
      this.chunks.push(chunk);
    } else if (offset * HASH_SIZE === chunk.length) {
      // Only the last chunk is ever partly used; it doubles up to the full chunk size.
      const grown = Buffer.allocUnsafe(Math.min(2 * offset, CHUNK_NODES) * HASH_SIZE);
      chunk.copy(grown, 0, 0, chunk.length);
      chunk = grown;
      this.chunks[chunkIndex] = chunk;
    }
    chunk.set(hash, offset * HASH_SIZE);
    this.count++;
  }

  /** Node i without copying: never write to it (nodes are immutable). Caller checks i < length. */
  view(i: number): Buffer {
    const start = (i & CHUNK_MASK) * HASH_SIZE;
    return this.chunks[i >>> CHUNK_SHIFT].subarray(start, start + HASH_SIZE);
  }

  /** A copy of node i. */
  get(i: number): Buffer {
    const start = (i & CHUNK_MASK) * HASH_SIZE;
    const copy = Buffer.allocUnsafe(HASH_SIZE);
    this.chunks[i >>> CHUNK_SHIFT].copy(copy, 0, start, start + HASH_SIZE);
    return copy;
  }

  /**
   * The parent of nodes i and i + 1 (i even): they lie back to back in one chunk (chunks hold
   * an even number of nodes), so they are hashed straight from storage.
   */
  parentOf(i: number): Buffer {
    const start = (i & CHUNK_MASK) * HASH_SIZE;
    return nodeHashOfPair(this.chunks[i >>> CHUNK_SHIFT].subarray(start, start + 2 * HASH_SIZE));
  }

  /**
   * The bytes of the first `count` nodes in order, as consecutive slices (for saving). Safe
   * while the column keeps growing: stored nodes never change, whichever chunk holds them.
   */
  *slices(count: number = this.count): Generator<Buffer> {
    for (let start = 0; start < count; start += CHUNK_NODES) {
      const used = Math.min(count - start, CHUNK_NODES);
      yield this.chunks[start >>> CHUNK_SHIFT].subarray(0, used * HASH_SIZE);
    }
  }

  /** Bytes allocated (used or not): what the column costs in memory. */
  get allocatedBytes(): number {
    let total = 0;
    for (const chunk of this.chunks) total += chunk.length;
    return total;
  }

  /** A column over `count` nodes laid out back to back in `bytes`, adopted without copying. */
  static adopt(bytes: Buffer, count: number): HashColumn {
    const column = new HashColumn();
    for (let start = 0; start < count; start += CHUNK_NODES) {
      const end = Math.min(start + CHUNK_NODES, count);
      column.chunks.push(bytes.subarray(start * HASH_SIZE, end * HASH_SIZE));
    }
    column.count = count;
    return column;
  }
}
