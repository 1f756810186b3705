import { createHash } from 'node:crypto';
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import { HashColumn } from './hash-column';
import { LedgerError } from './errors';
import { HASH_SIZE } from './hashing';
import { MerkleTree } from './merkle-tree';

/*
 * A saved tree, so a restart reads ≈ 64 MB instead of rehashing a million events:
 *
 *   "ATRMTH01" (8 bytes) ‖ size (uint64 big-endian) ‖ level 0 nodes ‖ level 1 nodes ‖ … ‖
 *   SHA-256 of everything before it (32 bytes)
 *
 * Level k holds floor(size / 2^k) nodes of 32 bytes, for every k with at least one node. The
 * checksum catches a torn or damaged file; it is no defence against someone who rewrites the
 * file on purpose — the tree is derived data: compare its roots with signed checkpoints and
 * its last leaf with the event store before trusting it.
 */
const MAGIC = Buffer.from('ATRMTH01', 'ascii');
const HEADER_SIZE = MAGIC.length + 8;

function nodeCounts(size: number): number[] {
  const counts: number[] = [];
  for (let width = 1; width <= size; width *= 2) counts.push(Math.floor(size / width));
  return counts;
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length; ) done += (await file.write(bytes, done)).bytesWritten;
}

/**
 * Writes the tree as it is when called (appends made meanwhile are not included) to `path`,
 * atomically: a temporary file, fsync, then rename. Returns the size saved.
 */
export async function saveTree(tree: MerkleTree, path: string): Promise<number> {
  const size = tree.size;
  const counts = nodeCounts(size);
  const columns = tree.columns();
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(header);
  header.writeBigUInt64BE(BigInt(size), MAGIC.length);
  const checksum = createHash('sha256');
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w');
  try {
    const write = async (bytes: Buffer) => {
      checksum.update(bytes);
      await writeAll(file, bytes);
    };
    await write(header);
    for (let level = 0; level < counts.length; level++) {
      for (const slice of columns[level].slices(counts[level])) await write(slice);
    }
    await writeAll(file, checksum.digest());
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, path);
  return size;
}

/** Reads a tree saved by saveTree; throws CORRUPT_TREE_FILE when the file is not one, whole. */
export async function loadTree(path: string): Promise<MerkleTree> {
  const bytes = await readFile(path);
  const corrupt = (why: string) => new LedgerError('CORRUPT_TREE_FILE', `${path}: ${why}`);
  if (bytes.length < HEADER_SIZE + HASH_SIZE || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw corrupt('not a saved Merkle tree');
  }
  const size = bytes.readBigUInt64BE(MAGIC.length);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`tree size ${size} is out of range`);
  const counts = nodeCounts(Number(size));
  const nodes = counts.reduce((a, b) => a + b, 0);
  const expected = HEADER_SIZE + nodes * HASH_SIZE + HASH_SIZE;
  if (bytes.length !== expected) throw corrupt(`${bytes.length} bytes where a tree of size ${size} takes ${expected}`);
  const body = bytes.subarray(0, expected - HASH_SIZE);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(expected - HASH_SIZE))) {
    throw corrupt('checksum mismatch');
  }
  const columns: HashColumn[] = [];
  let offset = HEADER_SIZE;
  for (const count of counts) {
    columns.push(HashColumn.adopt(bytes.subarray(offset, offset + count * HASH_SIZE), count));
    offset += count * HASH_SIZE;
  }
  return MerkleTree.fromColumns(columns);
}
