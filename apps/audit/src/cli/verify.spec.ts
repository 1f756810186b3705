import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createSigner, generateKeyPairPem } from '@atr/ledger';
import { createTestApp } from '@atr/platform/testing/test-app';
import { AuditModule } from '../audit.module';
import { Seeder } from '../testing/journey-fixture';
import { exportBundle } from './export';
import { BundleSource } from './sources/bundle-source';
import { DbSource } from './sources/db-source';
import { verifyLedger } from './verify';

// A real log (journeys appended, checkpoints signed every 4 events by the audit service, its tree
// saved on shutdown), then each kind of tampering on a copy of the store file.

const AUDITOR = 'demo-jco-auditor';
let original: string;
let verifierKey: string;
let events: number;

beforeAll(async () => {
  original = mkdtempSync(path.join(tmpdir(), 'atr-verify-'));
  const t = await createTestApp([AuditModule], { DATA_DIR: original, LEDGER_CHECKPOINT_EVERY: '1000', LEDGER_CHECKPOINT_INTERVAL_MS: '0' });
  const seeder = new Seeder(t.store, t.clock);
  // four journeys of 4 events, each followed by a checkpoint: sizes 4, 9, 14, 19 at positions 5, 10, 15, 20
  for (let i = 0; i < 4; i++) {
    await seeder.referredClue();
    expect((await t.request('POST', '/audit/ledger/checkpoints', { key: AUDITOR })).body.treeSize).toBe(4 + 5 * i);
  }
  verifierKey = (await t.request('GET', '/audit/ledger/key')).body.verifierKey;
  events = await t.store.headPosition();
  await t.close(); // saves the tree beside the store
});
afterAll(() => rmSync(original, { recursive: true, force: true }));

/** A copy of the store (and of the saved tree unless told otherwise) to tamper with. */
function copy(withTree = true): { dir: string; db: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'atr-tampered-'));
  copyFileSync(path.join(original, 'events.db'), path.join(dir, 'events.db'));
  if (withTree) copyFileSync(path.join(original, 'ledger-tree.bin'), path.join(dir, 'ledger-tree.bin'));
  return { dir, db: path.join(dir, 'events.db') };
}

function sql(file: string, statements: (db: Database.Database) => void): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER events_are_immutable_u; DROP TRIGGER events_are_immutable_d;');
  statements(db);
  db.close();
}

async function verify(db: string, against?: string) {
  const source = new DbSource(db);
  try {
    return await verifyLedger(source, { verifierKey, ...(against ? { against: new BundleSource(against) } : {}) });
  } finally {
    await source.close();
  }
}

describe('audit verify on a store file', () => {
  it('verifies an untouched log: every leaf, every checkpoint, consistency between them', async () => {
    const report = await verify(path.join(original, 'events.db'));
    expect(report).toMatchObject({ ok: true, leaves: events, keyTrust: 'given', problems: [] });
    expect(report.checkpoints).toEqual({ total: 4, verified: 4, consistencyProofs: 3 });
    expect(report.firstBad).toBeUndefined();
  });

  it('finds one changed byte in the file, at its leaf, through the saved tree', async () => {
    const { dir, db } = copy();
    // one byte of the file itself: "URGENT" in the live row of the second event (ClueTriaged) becomes
    // "URGENS" (other copies of the text lie in free space of pages that cells moved out of)
    const original = readFileSync(db);
    const pattern = Buffer.from('"priority":"URGENT"');
    const offset = '"priority":"URGEN'.length;
    let changed = false;
    for (let at = original.indexOf(pattern); at >= 0 && !changed; at = original.indexOf(pattern, at + 1)) {
      const bytes = Buffer.from(original);
      bytes[at + offset] = 'S'.charCodeAt(0);
      writeFileSync(db, bytes);
      const check = new Database(db, { readonly: true });
      changed = String(check.prepare('SELECT payload FROM events WHERE position = 2').pluck().get()).includes('URGENS');
      check.close();
    }
    expect(changed).toBe(true);
    const report = await verify(db);
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ leafIndex: 1, position: 2, precise: true });
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['LEAF_MISMATCH', 'CHECKPOINT_ROOT']));
    rmSync(dir, { recursive: true, force: true });
  });

  it('without the saved tree, still detects the change and bounds it by the checkpoints', async () => {
    const { dir, db } = copy(false);
    sql(db, (d) => d.prepare("UPDATE events SET payload = replace(payload, '江那镇', '平远镇') WHERE position = 6").run());
    const report = await verify(db);
    expect(report.ok).toBe(false);
    // the checkpoint of size 4 still holds, the one of size 9 no longer: leaf 5 lies in 4–8
    expect(report.firstBad).toMatchObject({ leafIndex: 4, precise: false });
    expect(report.problems[0]).toMatchObject({ kind: 'CHECKPOINT_ROOT' });
    expect(report.problems[0].message).toMatch(/an event among leaves 4–8 was changed/);
    expect(report.checkpoints.verified).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names a deleted event by its position', async () => {
    const { dir, db } = copy(false);
    sql(db, (d) => d.prepare('DELETE FROM events WHERE position = 3').run());
    const report = await verify(db);
    expect(report.firstBad).toMatchObject({ leafIndex: 2, position: 3, precise: true });
    expect(report.problems[0]).toMatchObject({ kind: 'MISSING_EVENTS', message: 'positions jump from 2 to 4: the event 3 is missing' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds two swapped events at the first of them', async () => {
    const { dir, db } = copy();
    sql(db, (d) => {
      const cols = ['event_id', 'stream_id', 'stream_revision', 'type', 'schema_version', 'occurred_at', 'recorded_at', 'correlation_id', 'causation_id', 'actor', 'payload'];
      const row = (p: number) => d.prepare(`SELECT ${cols.join(', ')} FROM events WHERE position = ?`).get(p) as Record<string, unknown>;
      const [a, b] = [row(7), row(8)];
      const put = d.prepare(`UPDATE events SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE position = @position`);
      put.run({ ...a, event_id: 'swap-tmp', stream_id: 'swap-tmp', position: 8 });
      put.run({ ...b, position: 7 });
      put.run({ ...a, position: 8 });
    });
    const report = await verify(db);
    expect(report.firstBad).toMatchObject({ leafIndex: 6, position: 7, precise: true });
    expect(report.problems.filter((p) => p.kind === 'LEAF_MISMATCH').map((p) => p.leafIndex)).toEqual([6, 7]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('with an earlier export, locates a truncated log with a different tail and shows what changed', async () => {
    const exported = path.join(original, 'before.ndjson');
    const source = new DbSource(path.join(original, 'events.db'), { workers: 1 });
    await exportBundle(source, exported);
    await source.close();
    const { dir, db } = copy(false);
    sql(db, (d) => {
      const tail = d.prepare('SELECT * FROM events WHERE position >= 9 ORDER BY position').all() as Record<string, unknown>[];
      d.prepare('DELETE FROM events WHERE position >= 9').run();
      d.prepare("DELETE FROM sqlite_sequence WHERE name = 'events'").run();
      const insert = d.prepare(`INSERT INTO events (position, event_id, stream_id, stream_revision, type, schema_version, occurred_at, recorded_at, correlation_id, causation_id, actor, payload)
        VALUES (@position, @event_id, @stream_id, @stream_revision, @type, @schema_version, @occurred_at, @recorded_at, @correlation_id, @causation_id, @actor, @payload)`);
      // the rewritten tail: the same events but the first says the child was not missing, and no checkpoint after it
      for (const row of tail.filter((r) => r.type !== 'LedgerCheckpointed')) {
        insert.run({ ...row, position: undefined, payload: String(row.payload).replace('"childMissing":true', '"childMissing":false') });
      }
    });
    const report = await verify(db, exported);
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ leafIndex: 8, position: 9, precise: true });
    const first = report.problems.find((p) => p.kind === 'DIFFERS_FROM_EXPORT')!;
    expect(first.differences!.map((d) => d.field)).toContain('payload');
    // the export's later checkpoints no longer match the rewritten log
    expect(report.problems.some((p) => p.kind === 'CHECKPOINT_ROOT' || p.kind === 'CHECKPOINT_BEYOND_LOG')).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies an exported bundle offline, and refuses a checkpoint signed by another key', async () => {
    const exported = path.join(original, 'bundle.ndjson');
    if (!existsSync(exported)) {
      const source = new DbSource(path.join(original, 'events.db'), { workers: 1 });
      await exportBundle(source, exported);
      await source.close();
    }
    const ok = await verifyLedger(new BundleSource(exported), { verifierKey });
    expect(ok).toMatchObject({ ok: true, leaves: events });
    const otherKey = createSigner('clue-referral.example.cn/ledger', generateKeyPairPem().privateKeyPem).verifierKey;
    const forged = await verifyLedger(new BundleSource(exported), { verifierKey: otherKey });
    expect(forged.ok).toBe(false);
    expect(forged.problems[0].kind).toBe('CHECKPOINT_SIGNATURE');
  });
});
