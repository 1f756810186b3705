import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { leafHashOfRecord, MerkleTree, verifyCheckpoint, verifyConsistency, verifyInclusion } from '@atr/ledger';
import type { StoredRecord } from '@atr/event-store';
import { createTestApp, type TestApp } from '@atr/platform/testing/test-app';
import { AuditModule } from '../audit.module';
import { LedgerService } from './ledger.service';
import { agenciesWithOutsideAuditors, OTHER_PROVINCE_AUDITOR } from '../testing/agencies';
import { Seeder } from '../testing/journey-fixture';

const AUDITOR = 'demo-jco-auditor';
const b = (base64: string) => Buffer.from(base64, 'base64');

async function allRecords(t: TestApp): Promise<StoredRecord[]> {
  return t.store.readRecords!({ after: 0, limit: 10_000 });
}

describe('the ledger over HTTP', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'atr-ledger-'));
  const env = { DATA_DIR: dataDir, AGENCIES_FILE: agenciesWithOutsideAuditors(), LEDGER_CHECKPOINT_EVERY: '100000', LEDGER_CHECKPOINT_INTERVAL_MS: '0' };
  let t: TestApp;
  let journey: Awaited<ReturnType<Seeder['referredClue']>>;
  beforeAll(async () => {
    t = await createTestApp([AuditModule], env);
    journey = await new Seeder(t.store, t.clock).referredClue();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes its verifier key to anyone, without an API key', async () => {
    const res = await t.request('GET', '/audit/ledger/key');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ origin: 'clue-referral.example.cn/ledger', algorithm: 'Ed25519' });
    expect(res.body.verifierKey).toMatch(/^clue-referral\.example\.cn\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    expect(res.body.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('signs a checkpoint whose root is the RFC 9162 tree of the stored events, and records it in the log', async () => {
    const { body: key } = await t.request('GET', '/audit/ledger/key');
    const res = await t.request('POST', '/audit/ledger/checkpoints', { key: AUDITOR });
    expect(res.status).toBe(200);
    const records = await allRecords(t);
    expect(res.body.treeSize).toBe(4);
    const expected = MerkleTree.fromLeafHashes(records.slice(0, 4).map(leafHashOfRecord)).root();
    expect(res.body.rootHash).toBe(expected.toString('base64'));
    const verified = verifyCheckpoint(res.body.note, key.verifierKey, { origin: key.origin });
    expect({ size: verified.size, root: verified.rootHash.toString('base64') }).toEqual({ size: 4, root: res.body.rootHash });
    // the checkpoint is event 5 of the log it vouches for
    expect(records[4]).toMatchObject({ type: 'LedgerCheckpointed', streamId: 'ledger-checkpoints', globalPosition: 5, causationId: journey.received.eventId });
    const status = await t.request('GET', '/audit/ledger', { key: AUDITOR });
    expect(status.body).toMatchObject({ treeSize: 5, lastPosition: 5, lastCheckpoint: { treeSize: 4, position: 5 }, integrity: { ok: true, problems: [] } });
  });

  it('answers the last checkpoint again when only checkpoints were recorded since', async () => {
    const again = await t.request('POST', '/audit/ledger/checkpoints', { key: AUDITOR });
    expect(again.body).toMatchObject({ treeSize: 4, position: 5 });
    expect((await allRecords(t)).length).toBe(5);
  });

  it('proves an event by id against the latest checkpoint; the proof verifies with the recomputed leaf', async () => {
    const res = await t.request('GET', `/audit/ledger/proofs/inclusion?eventId=${journey.referred.eventId}`, { key: AUDITOR });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ leafIndex: 2, treeSize: 4, recordMatchesLeaf: true, checkpoint: { treeSize: 4 } });
    const leaf = leafHashOfRecord(res.body.record);
    expect(leaf.toString('base64')).toBe(res.body.leafHash);
    const root = verifyCheckpoint(res.body.checkpoint.note, (await t.request('GET', '/audit/ledger/key')).body.verifierKey).rootHash;
    expect(verifyInclusion(2, 4, leaf, res.body.proof.map(b), root)).toBe(true);
    expect(verifyInclusion(1, 4, leaf, res.body.proof.map(b), root)).toBe(false);
  });

  it('proves consistency between two checkpoints', async () => {
    await new Seeder(t.store, t.clock).referredClue();
    const second = await t.request('POST', '/audit/ledger/checkpoints', { key: AUDITOR });
    expect(second.body.treeSize).toBe(9);
    const res = await t.request('GET', '/audit/ledger/proofs/consistency?from=4', { key: AUDITOR });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: 4, to: 9 });
    const { body: list } = await t.request('GET', '/audit/ledger/checkpoints', { key: AUDITOR });
    expect(list.items.map((c: { treeSize: number }) => c.treeSize)).toEqual([4, 9]);
    const [r1, r2] = list.items.map((c: { rootHash: string }) => b(c.rootHash));
    expect(verifyConsistency(4, 9, res.body.proof.map(b), r1, r2)).toBe(true);
    expect(verifyConsistency(4, 9, res.body.proof.map(b), r2, r1)).toBe(false);
  });

  it('gives every leaf hash, but the stored event only to an auditor who oversees its journey', async () => {
    const mine = await t.request('GET', '/audit/ledger/entries?after=0&limit=3', { key: AUDITOR });
    expect(mine.body).toMatchObject({ treeSize: 10, nextAfter: 3 });
    expect(mine.body.items.map((e: { leafIndex: number }) => e.leafIndex)).toEqual([0, 1, 2]);
    for (const entry of mine.body.items) expect(leafHashOfRecord(entry.record).toString('base64')).toBe(entry.leafHash);
    const outsider = await t.request('GET', '/audit/ledger/entries?limit=10000', { key: OTHER_PROVINCE_AUDITOR });
    expect(outsider.body.items).toHaveLength(10);
    expect(outsider.body.items.every((e: { record: unknown }) => e.record === null)).toBe(true);
    const proof = await t.request('GET', '/audit/ledger/proofs/inclusion?position=1', { key: OTHER_PROVINCE_AUDITOR });
    expect(proof.body).toMatchObject({ record: null, recordMatchesLeaf: null, leafIndex: 0 });
  });

  it('refuses bad questions with the field or the rule', async () => {
    const both = await t.request('GET', `/audit/ledger/proofs/inclusion?eventId=${journey.referred.eventId}&position=1`, { key: AUDITOR });
    expect(both.status).toBe(400);
    expect(both.body.issues[0].path).toBe('eventId');
    const beyond = await t.request('GET', '/audit/ledger/proofs/inclusion?position=1&treeSize=999', { key: AUDITOR });
    expect(beyond).toMatchObject({ status: 422, body: { rule: 'TREE_SIZE_BEYOND_LOG' } });
    const unknown = await t.request('GET', '/audit/ledger/proofs/inclusion?eventId=00000000-0000-4000-8000-000000000000', { key: AUDITOR });
    expect(unknown.status).toBe(404);
    expect((await t.request('GET', '/audit/ledger', { key: 'demo-school-reporter' })).status).toBe(403);
    expect((await t.request('POST', '/audit/ledger/checkpoints')).status).toBe(401);
  });

  it('after a restart on a rewritten log, names the checkpoint the history no longer matches', async () => {
    await t.close();
    const db = new Database(path.join(dataDir, 'events.db'));
    db.exec('DROP TRIGGER events_are_immutable_u');
    db.prepare("UPDATE events SET payload = replace(payload, '江那镇', '平远镇') WHERE position = 1").run();
    db.close();
    rmSync(path.join(dataDir, 'ledger-tree.bin'), { force: true });
    t = await createTestApp([AuditModule], env);
    const status = await t.request('GET', '/audit/ledger', { key: AUDITOR });
    expect(status.body.integrity.ok).toBe(false);
    expect(status.body.integrity.problems).toEqual([
      expect.stringMatching(/^checkpoint at position 5 \(tree size 4\): the log's first 4 events no longer hash to the signed root/),
      expect.stringMatching(/^checkpoint at position 10 \(tree size 9\): the log's first 9 events no longer hash/),
    ]);
  });

  it('signs on its own once LEDGER_CHECKPOINT_EVERY events were recorded since the last checkpoint', async () => {
    const app = await createTestApp([AuditModule], { LEDGER_CHECKPOINT_EVERY: '3', LEDGER_CHECKPOINT_INTERVAL_MS: '0' });
    try {
      const ledger = app.app.get(LedgerService);
      await new Seeder(app.store, app.clock).referredClue();
      await ledger.follow(); // 4 events ≥ 3: a checkpoint is being signed
      const signed = (await ledger.checkpoint())!; // the one in flight
      // the ledger's own poll may have looked at the log after the third event already
      expect(signed.treeSize).toBeGreaterThanOrEqual(3);
      expect(signed.position).toBe(signed.treeSize + 1);
      await ledger.follow();
      expect(ledger.checkpoints()).toHaveLength(1); // its own event does not count towards the next
    } finally {
      await app.close();
    }
  });

  it('with its saved tree, shows which stored event no longer matches the leaf it recorded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atr-ledger-saved-'));
    const options = { ...env, DATA_DIR: dir };
    let app = await createTestApp([AuditModule], options);
    const seeded = await new Seeder(app.store, app.clock).referredClue();
    await app.request('POST', '/audit/ledger/checkpoints', { key: AUDITOR });
    await app.close(); // saves the tree
    const db = new Database(path.join(dir, 'events.db'));
    db.exec('DROP TRIGGER events_are_immutable_u');
    db.prepare("UPDATE events SET payload = replace(payload, 'URGENT', 'NORMAL') WHERE position = 2").run();
    db.close();
    app = await createTestApp([AuditModule], options);
    try {
      const proof = await app.request('GET', `/audit/ledger/proofs/inclusion?eventId=${seeded.triaged.eventId}`, { key: AUDITOR });
      expect(proof.body).toMatchObject({ leafIndex: 1, recordMatchesLeaf: false });
      const untouched = await app.request('GET', `/audit/ledger/proofs/inclusion?eventId=${seeded.submitted.eventId}`, { key: AUDITOR });
      expect(untouched.body.recordMatchesLeaf).toBe(true);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
