import { createHash } from 'node:crypto';

/*
 * Trees of 0–8 leaves worked out by hand from the RFC 9162 definitions, as expressions over
 * the leaf hashes a…h and N(x, y) = SHA-256(0x01 ‖ x ‖ y). The leaves are the entries of the
 * Certificate Transparency reference tests, so the hand-worked roots must also equal the CT
 * vectors below — a check from outside this code base.
 */

export const CT_ENTRIES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((hex) =>
  Buffer.from(hex, 'hex'),
);

/** Roots of the first 1…8 CT entries (certificate-transparency merkle_tree_test.cc, also in transparency-dev/merkle). */
export const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** Published CT inclusion proofs: [leaf index (0-based), tree size, path]. */
export const CT_INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

/** Published CT consistency proofs: [size1, size2, proof]. */
export const CT_CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

const abcd = 'N(N(a,b),N(c,d))';

/** MTH of the first n leaves, n = 0…8 ('' is the empty tree). */
export const ROOTS = [
  '',
  'a',
  'N(a,b)',
  'N(N(a,b),c)',
  abcd,
  `N(${abcd},e)`,
  `N(${abcd},N(e,f))`,
  `N(${abcd},N(N(e,f),g))`,
  `N(${abcd},N(N(e,f),N(g,h)))`,
];

/** INCLUSION[n][m] = PATH(m, D[n]), the leaf's sibling first. */
export const INCLUSION: string[][][] = [
  [],
  [[]],
  [['b'], ['a']],
  [['b', 'c'], ['a', 'c'], ['N(a,b)']],
  [['b', 'N(c,d)'], ['a', 'N(c,d)'], ['d', 'N(a,b)'], ['c', 'N(a,b)']],
  [['b', 'N(c,d)', 'e'], ['a', 'N(c,d)', 'e'], ['d', 'N(a,b)', 'e'], ['c', 'N(a,b)', 'e'], [abcd]],
  [['b', 'N(c,d)', 'N(e,f)'], ['a', 'N(c,d)', 'N(e,f)'], ['d', 'N(a,b)', 'N(e,f)'], ['c', 'N(a,b)', 'N(e,f)'], ['f', abcd], ['e', abcd]],
  [
    ['b', 'N(c,d)', 'N(N(e,f),g)'],
    ['a', 'N(c,d)', 'N(N(e,f),g)'],
    ['d', 'N(a,b)', 'N(N(e,f),g)'],
    ['c', 'N(a,b)', 'N(N(e,f),g)'],
    ['f', 'g', abcd],
    ['e', 'g', abcd],
    ['N(e,f)', abcd],
  ],
  [
    ['b', 'N(c,d)', 'N(N(e,f),N(g,h))'],
    ['a', 'N(c,d)', 'N(N(e,f),N(g,h))'],
    ['d', 'N(a,b)', 'N(N(e,f),N(g,h))'],
    ['c', 'N(a,b)', 'N(N(e,f),N(g,h))'],
    ['f', 'N(g,h)', abcd],
    ['e', 'N(g,h)', abcd],
    ['h', 'N(e,f)', abcd],
    ['g', 'N(e,f)', abcd],
  ],
];

/** CONSISTENCY[n][m] = PROOF(m, D[n]) for 0 < m < n. */
export const CONSISTENCY: Record<number, Record<number, string[]>> = {
  2: { 1: ['b'] },
  3: { 1: ['b', 'c'], 2: ['c'] },
  4: { 1: ['b', 'N(c,d)'], 2: ['N(c,d)'], 3: ['c', 'd', 'N(a,b)'] },
  5: { 1: ['b', 'N(c,d)', 'e'], 2: ['N(c,d)', 'e'], 3: ['c', 'd', 'N(a,b)', 'e'], 4: ['e'] },
  6: { 1: ['b', 'N(c,d)', 'N(e,f)'], 2: ['N(c,d)', 'N(e,f)'], 3: ['c', 'd', 'N(a,b)', 'N(e,f)'], 4: ['N(e,f)'], 5: ['e', 'f', abcd] },
  7: {
    1: ['b', 'N(c,d)', 'N(N(e,f),g)'],
    2: ['N(c,d)', 'N(N(e,f),g)'],
    3: ['c', 'd', 'N(a,b)', 'N(N(e,f),g)'],
    4: ['N(N(e,f),g)'],
    5: ['e', 'f', 'g', abcd],
    6: ['N(e,f)', 'g', abcd],
  },
  8: {
    1: ['b', 'N(c,d)', 'N(N(e,f),N(g,h))'],
    2: ['N(c,d)', 'N(N(e,f),N(g,h))'],
    3: ['c', 'd', 'N(a,b)', 'N(N(e,f),N(g,h))'],
    4: ['N(N(e,f),N(g,h))'],
    5: ['e', 'f', 'N(g,h)', abcd],
    6: ['N(e,f)', 'N(g,h)', abcd],
    7: ['g', 'h', 'N(e,f)', abcd],
  },
};

const sha = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** Leaf hashes a…h of the CT entries, computed here from the definition SHA-256(0x00 ‖ d). */
export const LEAVES: Record<string, Buffer> = Object.fromEntries(
  CT_ENTRIES.map((entry, i) => [String.fromCharCode(97 + i), sha(Buffer.of(0x00), entry)]),
);

/** Evaluates an expression of the tables above ('' = the empty tree's root). */
export function evaluate(expression: string): Buffer {
  if (expression === '') return sha();
  let at = 0;
  const parse = (): Buffer => {
    if (expression.startsWith('N(', at)) {
      at += 2;
      const left = parse();
      if (expression[at++] !== ',') throw new Error(`expected , at ${at - 1} in ${expression}`);
      const right = parse();
      if (expression[at++] !== ')') throw new Error(`expected ) at ${at - 1} in ${expression}`);
      return sha(Buffer.of(0x01), left, right);
    }
    const leaf = LEAVES[expression[at++]];
    if (leaf === undefined) throw new Error(`unknown leaf at ${at - 1} in ${expression}`);
    return leaf;
  };
  const value = parse();
  if (at !== expression.length) throw new Error(`trailing text in ${expression}`);
  return value;
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const unhex = (text: string): Buffer => Buffer.from(text, 'hex');
