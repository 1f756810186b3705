import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { client, eventually, schoolReport, startPlatform, type PlatformProcess } from './support/platform-process';

const run = promisify(execFile);
const AUDIT_CLI = path.resolve(__dirname, '..', 'apps', 'audit', 'bin', 'audit.js');

/** Runs `audit …` (the auditors' CLI) and returns its exit code and output. */
async function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [AUDIT_CLI, ...args], { env: { ...process.env, ATR_API_KEY: 'demo-jco-auditor' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * The auditor's path end to end on the real runner process: journeys through every service,
 * checkpoints signed and recorded, an export, offline verification, then a store file tampered
 * with: verification fails and names the position.
 */
describe('the ledger, end to end', () => {
  let dataDir: string;
  let work: string;
  let platform: PlatformProcess | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-ledger-e2e-'));
    work = mkdtempSync(path.join(tmpdir(), 'atr-ledger-work-'));
  });
  afterAll(async () => {
    await platform?.kill();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('exports, verifies offline and against the server, proves an event, and catches a rewritten event', async () => {
    platform = await startPlatform(dataDir, { LEDGER_CHECKPOINT_EVERY: '10', LEDGER_CHECKPOINT_INTERVAL_MS: '0' });
    const school = client(platform.baseUrl, 'demo-school-reporter');
    const auditor = client(platform.baseUrl, 'demo-jco-auditor');
    const clueIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await school('POST', '/clues/school-reports', schoolReport(i), { 'idempotency-key': `ledger-e2e-${i}` });
      expect(res.status).toBe(201);
      clueIds.push(res.body.clueId);
    }
    // the hand-offs settle (referrals received, feedback recorded), then a checkpoint of everything
    await eventually(async () => (await auditor('GET', '/audit/consumers')).body.consumers.every((c: { lag: number }) => c.lag === 0), 'consumers to settle');
    const signed = await auditor('POST', '/audit/ledger/checkpoints');
    expect(signed.status).toBe(200);
    const { body: key } = await auditor('GET', '/audit/ledger/key');
    const { body: status } = await auditor('GET', '/audit/ledger');
    expect(status.integrity.ok).toBe(true);
    expect(status.lastCheckpoint.treeSize).toBe(signed.body.treeSize);
    // automatic checkpoints (every 10 events, at the ledger's next look at the log) and the one asked for
    const { body: list } = await auditor('GET', '/audit/ledger/checkpoints');
    expect(list.items.length).toBeGreaterThanOrEqual(1);
    expect(list.items[list.items.length - 1].treeSize).toBe(signed.body.treeSize);

    const live = await audit('verify', '--server', platform.baseUrl, '--key', key.verifierKey, '--json');
    expect(live.code).toBe(0);
    const liveReport = JSON.parse(live.stdout);
    expect(liveReport).toMatchObject({ ok: true, keyTrust: 'given', checkpoints: { total: list.items.length, verified: list.items.length } });

    const bundle = path.join(work, 'export.ndjson');
    const exported = await audit('export', '--server', platform.baseUrl, '--out', bundle);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/exported \d+ leaves \(\d+ with their event\) and \d+ checkpoints/);

    const { body: journey } = await auditor('GET', `/audit/journeys/${clueIds[3]}`);
    const referred = journey.events.find((e: { type: string }) => e.type === 'ClueReferred');
    const proof = await audit('prove', referred.eventId, '--bundle', bundle, '--key', key.verifierKey);
    expect(proof.code).toBe(0);
    expect(JSON.parse(proof.stdout)).toMatchObject({ eventId: referred.eventId, verified: true });

    // the clue as intake saw it right after it was submitted, and now
    const submitted = journey.events.find((e: { type: string }) => e.type === 'ClueSubmitted');
    const then = await audit('state', `clue-${clueIds[3]}`, '--server', platform.baseUrl, '--position', String(submitted.position));
    expect(then.code).toBe(0);
    expect(JSON.parse(then.stdout)).toMatchObject({ view: 'owner', state: { clueId: clueIds[3], status: 'RECEIVED', lastPosition: submitted.position } });
    const now = JSON.parse((await audit('state', `clue-${clueIds[3]}`, '--server', platform.baseUrl)).stdout);
    expect(now.state.status).toBe('REFERRED');

    await platform.stop();
    platform = undefined;
    const offline = await audit('verify', '--bundle', bundle, '--key', key.verifierKey);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/^VERIFIED/);

    // someone with access to the file rewrites one event: the referred clue's summary
    const tampered = path.join(work, 'events.db');
    copyFileSync(path.join(dataDir, 'events.db'), tampered);
    const db = new Database(tampered);
    db.exec('DROP TRIGGER events_are_immutable_u');
    const target = db.prepare("SELECT position FROM events WHERE type = 'ClueSubmitted' AND correlation_id = ?").pluck().get(clueIds[5]) as number;
    db.prepare("UPDATE events SET payload = replace(payload, '未到校', '已返校') WHERE position = ?").run(target);
    db.close();

    const caught = await audit('verify', '--db', tampered, '--key', key.verifierKey, '--against', bundle, '--json');
    expect(caught.code).toBe(1);
    const report = JSON.parse(caught.stdout);
    expect(report.firstBad).toMatchObject({ leafIndex: target - 1, position: target, precise: true });
    const differs = report.problems.find((p: { kind: string }) => p.kind === 'DIFFERS_FROM_EXPORT');
    expect(differs.differences).toEqual([expect.objectContaining({ field: 'payload' })]);
    expect(differs.differences[0].now).toContain('已返校');

    // without the export, the human report still says where the history stops holding
    const plain = await audit('verify', '--db', tampered, '--key', key.verifierKey);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/^FAILED/);
    expect(plain.stdout).toMatch(/CHECKPOINT_ROOT/);
  }, 120_000);
});
