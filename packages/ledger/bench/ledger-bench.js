#!/usr/bin/env node
'use strict';
// Ledger benchmark (not a test): builds the Merkle tree of a log of 1,000,000 events and measures
// leaf hashing of stored records, appends, roots, inclusion and consistency proofs (generation
// and verification), checkpoint signing, saving/loading the tree, and memory. Runs on the built
// dist (`npx tsc -p tsconfig.build.json` in packages/ledger first).
//
//   node packages/ledger/bench/ledger-bench.js [--leaves N] [--mark]
//
// Prints one JSON object on stdout (progress on stderr); --mark prefixes it with
// "@@bench-result " and adds maxRssMB, as infra/bench/lib/child.js's runChild() expects.
const { mkdtempSync, rmSync, statSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ledger = require('../dist');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const LEAVES = option('--leaves', 1_000_000);
const MARK = args.includes('--mark');
const log = (message) => process.stderr.write(`[ledger-bench] ${message}\n`);

const now = () => process.hrtime.bigint();
const seconds = (from) => Number(now() - from) / 1e9;
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

// A deterministic pseudo-random generator, so runs are comparable.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const randomInt = (n) => Math.floor(random() * n);

/** A stored record shaped like the platform's events: actor and payload as stored JSON texts. */
function record(i) {
  const clue = `c0a80101-0000-4000-8000-${String(i >> 3).padStart(12, '0')}`;
  return {
    actor: `{"agencyId":"yanshan-no1-primary","agencyKind":"EDUCATION","jurisdiction":"532622","userId":"clerk-${i % 97}","role":"REPORTER"}`,
    causationId: `req-${i}`,
    correlationId: clue,
    eventId: `6f1c2d3e-4b5a-4c6d-8e7f-${String(i).padStart(12, '0')}`,
    globalPosition: i + 1,
    occurredAt: '2026-03-01T08:00:00.000Z',
    payload: `{"location":{"divisionCode":"532622","address":"砚山县江那镇"},"summary":"五年级学生小芳连续两周未到校，其“姑姑”称已带往外省打工 #${i}","childMissing":true,"child":{"name":"小芳","birthDate":"2014-05-01","sex":"F"},"schoolName":"砚山县第一小学","reason":"UNEXPLAINED_DROPOUT"}`,
    recordedAt: '2026-03-01T08:00:00.123Z',
    schemaVersion: 2,
    streamId: `clue-${clue}`,
    streamRevision: i & 7,
    type: 'ClueSubmitted',
  };
}

function timeLoop(count, body) {
  const start = now();
  for (let i = 0; i < count; i++) body(i);
  const s = seconds(start);
  return { count, seconds: round(s, 3), perSec: Math.round(count / s), microsEach: round((s / count) * 1e6, 2) };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main() {
  const result = { leaves: LEAVES, node: process.version };

  // 1. Entry bytes and leaf hashes of stored records (records prebuilt: only the ledger's work is timed).
  const sample = Array.from({ length: 50_000 }, (_, i) => record(i));
  const entrySize = ledger.entryBytes(sample[0]).length;
  let canonicalize;
  try {
    canonicalize = require('canonicalize');
  } catch {
    canonicalize = undefined;
  }
  // Interleaved rounds, best of each: the JIT warms up alike and load bursts hit all alike.
  const cases = {
    jcs: (i) => ledger.entryJson(sample[i]),
    bytes: (i) => ledger.entryBytes(sample[i]),
    hashed: (i) => ledger.leafHashOfRecord(sample[i]),
    ...(canonicalize && { generic: (i) => canonicalize(sample[i]) }),
  };
  const best = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, body] of Object.entries(cases)) {
      const r = timeLoop(sample.length, body);
      if (!best[name] || r.perSec > best[name].perSec) best[name] = r;
    }
  }
  const { jcs, bytes, hashed, generic } = best;
  result.entries = {
    entryBytesSize: entrySize,
    entryJsonPerSec: jcs.perSec,
    entryBytesPerSec: bytes.perSec,
    leafHashOfRecordPerSec: hashed.perSec,
    leafHashOfRecordMicros: hashed.microsEach,
    ...(generic && { canonicalizeLibraryPerSec: generic.perSec }),
  };
  log(`entries: leafHashOfRecord ${hashed.perSec} records/s (entry ${entrySize} B), entryJson ${jcs.perSec}/s${generic ? `, canonicalize() ${generic.perSec}/s` : ''}`);
  sample.length = 0;

  // 2. The leaves of the whole log (hashed while generated; kept in one 32 MB buffer).
  let start = now();
  let leaves = Buffer.allocUnsafe(LEAVES * 32);
  for (let i = 0; i < LEAVES; i++) ledger.leafHashOfRecord(record(i)).copy(leaves, i * 32);
  result.entries.generateAndHashLogSeconds = round(seconds(start), 1);
  log(`hashed ${LEAVES} generated records in ${result.entries.generateAndHashLogSeconds} s`);

  // 3. Appends.
  const tree = new ledger.MerkleTree();
  start = now();
  for (let i = 0; i < LEAVES; i++) tree.append(leaves.subarray(i * 32, i * 32 + 32));
  const appendSeconds = seconds(start);
  leaves = undefined; // only the tree's own buffers are left to measure
  global.gc?.();
  const memory = process.memoryUsage();
  result.append = { seconds: round(appendSeconds, 2), leavesPerSec: Math.round(LEAVES / appendSeconds) };
  result.memory = {
    treeAllocatedMB: mb(tree.allocatedBytes),
    treeNodes: 2 * LEAVES - 1,
    rssMB: mb(memory.rss),
    heapUsedMB: mb(memory.heapUsed),
    arrayBuffersMB: mb(memory.arrayBuffers),
    note: 'treeAllocatedMB is the exact node storage; rss/arrayBuffers are process-wide (the freed 32 MB input may still count)',
  };
  log(`append: ${result.append.leavesPerSec} leaves/s; tree ${result.memory.treeAllocatedMB} MB, RSS ${result.memory.rssMB} MB`);

  const n = tree.size;
  const root = tree.root();

  // 4. Roots at random past sizes.
  result.rootAt = timeLoop(20_000, () => tree.rootAt(1 + randomInt(n)));

  // 5. Inclusion proofs at the current size and at random past sizes; then their verification.
  const indexes = Array.from({ length: 50_000 }, () => randomInt(n));
  const proofs = new Array(indexes.length);
  const inclusion = timeLoop(indexes.length, (i) => (proofs[i] = tree.inclusionProof(indexes[i])));
  const samples = [];
  for (let i = 0; i < 10_000; i++) {
    const size = 1 + randomInt(n);
    const index = randomInt(size);
    const t = now();
    tree.inclusionProof(index, size);
    samples.push(Number(now() - t) / 1000);
  }
  samples.sort((a, b) => a - b);
  const verified = timeLoop(indexes.length, (i) => {
    if (!ledger.verifyInclusion(indexes[i], n, tree.leafHash(indexes[i]), proofs[i], root)) throw new Error('inclusion proof failed');
  });
  result.inclusion = {
    proofsPerSec: inclusion.perSec,
    microsEach: inclusion.microsEach,
    pastSizeMicros: { p50: round(percentile(samples, 0.5), 1), p99: round(percentile(samples, 0.99), 1), max: round(samples[samples.length - 1], 1) },
    proofLength: proofs[0].length,
    verificationsPerSec: verified.perSec,
    verificationMicros: verified.microsEach,
  };
  log(`inclusion: ${inclusion.perSec} proofs/s (${inclusion.microsEach} µs), verify ${verified.perSec}/s`);

  // 6. Consistency proofs between random sizes; then their verification.
  const pairs = Array.from({ length: 20_000 }, () => {
    const size2 = 1 + randomInt(n);
    return [1 + randomInt(size2), size2];
  });
  const consistencyProofs = new Array(pairs.length);
  const consistency = timeLoop(pairs.length, (i) => (consistencyProofs[i] = tree.consistencyProof(pairs[i][0], pairs[i][1])));
  const roots = pairs.map(([a, b]) => [tree.rootAt(a), tree.rootAt(b)]);
  const consistencyVerified = timeLoop(pairs.length, (i) => {
    const [a, b] = pairs[i];
    if (!ledger.verifyConsistency(a, b, consistencyProofs[i], roots[i][0], roots[i][1])) throw new Error('consistency proof failed');
  });
  result.consistency = {
    proofsPerSec: consistency.perSec,
    microsEach: consistency.microsEach,
    verificationsPerSec: consistencyVerified.perSec,
    verificationMicros: consistencyVerified.microsEach,
  };
  log(`consistency: ${consistency.perSec} proofs/s (${consistency.microsEach} µs), verify ${consistencyVerified.perSec}/s`);

  // 7. Checkpoints.
  const signer = ledger.createSigner('bench.example/log', ledger.generateKeyPairPem().privateKeyPem);
  const note = signer.signCheckpoint({ origin: 'bench.example/log', size: n, rootHash: root });
  result.checkpoints = {
    signPerSec: timeLoop(2_000, () => signer.signCheckpoint({ origin: 'bench.example/log', size: n, rootHash: root })).perSec,
    verifyPerSec: timeLoop(2_000, () => ledger.verifyCheckpoint(note, signer.verifierKey)).perSec,
  };

  // 8. Saving and loading the tree (what a restart reads instead of rehashing the log).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-bench-'));
  try {
    const file = path.join(dir, 'tree.bin');
    start = now();
    await ledger.saveTree(tree, file);
    const saveSeconds = seconds(start);
    start = now();
    const loaded = await ledger.loadTree(file);
    const loadSeconds = seconds(start);
    if (!loaded.root().equals(root)) throw new Error('loaded tree has another root');
    result.treeFile = { sizeMB: mb(statSync(file).size), saveSeconds: round(saveSeconds, 2), loadSeconds: round(loadSeconds, 2) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(`tree file: ${result.treeFile.sizeMB} MB, save ${result.treeFile.saveSeconds} s, load ${result.treeFile.loadSeconds} s`);

  const output = MARK ? { ...result, maxRssMB: process.resourceUsage().maxRSS / 1024 } : result;
  process.stdout.write(`${MARK ? '@@bench-result ' : ''}${JSON.stringify(output, null, MARK ? 0 : 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
