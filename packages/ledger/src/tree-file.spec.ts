import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafHash } from './hashing';
import { MerkleTree } from './merkle-tree';
import { loadTree, saveTree } from './tree-file';
import { verifyConsistency, verifyInclusion } from './verify';

const leaves = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => leafHash(Buffer.from(`event ${from + i}`)));

describe('saveTree / loadTree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-tree-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([0, 1, 2, 7, 8, 1000, 33_000])('round-trips a tree of %i leaves, which keeps growing after loading', async (n) => {
    const original = MerkleTree.fromLeafHashes(leaves(0, n));
    const file = join(dir, 'tree.bin');
    expect(await saveTree(original, file)).toBe(n);
    const loaded = await loadTree(file);
    expect(loaded.size).toBe(n);
    expect(loaded.root()).toEqual(original.root());
    if (n > 0) {
      expect(loaded.inclusionProof(n - 1)).toEqual(original.inclusionProof(n - 1));
      expect(loaded.consistencyProof(Math.ceil(n / 3))).toEqual(original.consistencyProof(Math.ceil(n / 3)));
    }
    for (const leaf of leaves(n, n + 37)) {
      loaded.append(leaf);
      original.append(leaf);
    }
    expect(loaded.root()).toEqual(original.root());
    const size = n + 37;
    expect(verifyInclusion(n, size, loaded.leafHash(n), loaded.inclusionProof(n), original.root())).toBe(true);
    expect(verifyConsistency(n, size, loaded.consistencyProof(n), original.rootAt(n), original.root())).toBe(true);
    expect(readdirSync(dir)).toEqual(['tree.bin']);
  });

  it('saves the tree as it was when called, even if leaves arrive while it writes', async () => {
    const tree = MerkleTree.fromLeafHashes(leaves(0, 40_000));
    const rootAt40k = tree.root();
    const file = join(dir, 'tree.bin');
    const saving = saveTree(tree, file);
    for (const leaf of leaves(40_000, 41_000)) tree.append(leaf);
    expect(await saving).toBe(40_000);
    const loaded = await loadTree(file);
    expect(loaded.size).toBe(40_000);
    expect(loaded.root()).toEqual(rootAt40k);
  });

  it('refuses a file that is not a saved tree, truncated, or changed by one bit', async () => {
    const file = join(dir, 'tree.bin');
    await saveTree(MerkleTree.fromLeafHashes(leaves(0, 100)), file);
    const bytes = readFileSync(file);

    const damaged = Buffer.from(bytes);
    damaged[16 + 32 * 50] ^= 1;
    writeFileSync(file, damaged);
    await expect(loadTree(file)).rejects.toMatchObject({ code: 'CORRUPT_TREE_FILE', message: expect.stringContaining('checksum mismatch') });

    writeFileSync(file, bytes.subarray(0, bytes.length - 1));
    await expect(loadTree(file)).rejects.toMatchObject({ code: 'CORRUPT_TREE_FILE', message: expect.stringContaining('bytes where a tree of size 100 takes') });

    writeFileSync(file, Buffer.from('{"not":"a tree"}'.repeat(4)));
    await expect(loadTree(file)).rejects.toMatchObject({ code: 'CORRUPT_TREE_FILE', message: expect.stringContaining('not a saved Merkle tree') });
  });
});
