import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { client, eventually, startPlatform, type PlatformProcess } from './support/platform-process';

/**
 * Nothing accepted is ever lost: kill -9 the platform while clues are being submitted and
 * handed off, restart it, and every accepted clue ends up referred exactly once, with exactly
 * one ReferralReceived per ClueReferred in the police inbox (counted by causation).
 */
describe('crash and restart', () => {
  let dataDir: string;
  let platform: PlatformProcess | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-crash-'));
  });
  afterAll(async () => {
    await platform?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every accepted hand-off exactly once after a SIGKILL mid-stream', async () => {
    platform = await startPlatform(dataDir);
    const tip = (i: number) => ({
      location: { divisionCode: i % 3 === 0 ? '532626' : '532622' },
      summary: `群众举报第${i}号：疑似拐卖妇女`,
      channel: 'HOTLINE',
    });
    const accepted = new Set<string>();
    let refused = 0;
    const send = async (i: number) => {
      try {
        const res = await client(platform!.baseUrl, 'demo-public-portal')('POST', '/clues/public-tips', tip(i), { 'idempotency-key': `tip-${i}` });
        if (res.status === 201 || res.status === 200) accepted.add(res.body.clueId);
        else refused++;
      } catch {
        /* the connection died with the process: not accepted, the caller would retry */
      }
    };
    // 600 submissions, 16 at a time; the process is killed part-way through
    let next = 0;
    const workers = Array.from({ length: 16 }, async () => {
      while (next < 600) await send(next++);
    });
    await eventually(async () => accepted.size >= 250, '250 accepted clues', 30_000);
    await platform.kill();
    await Promise.all(workers);
    expect(refused).toBe(0);

    // restart on the same data: consumers resume from their checkpoints
    platform = await startPlatform(dataDir);
    const api = client(platform.baseUrl, 'demo-jco-auditor');
    await eventually(async () => {
      const { body } = await api('GET', '/audit/consumers');
      return body.consumers?.every((c: { lag: number }) => c.lag === 0);
    }, 'consumers to catch up', 30_000);
    await platform.stop();
    platform = undefined;

    const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
    const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
    for (const clueId of accepted) {
      const stream = `clue-${clueId}`;
      expect(count("SELECT count(*) n FROM events WHERE stream_id = ? AND type = 'ClueSubmitted'", stream)).toBe(1);
      expect(count("SELECT count(*) n FROM events WHERE stream_id = ? AND type IN ('ClueReferred', 'ClueLinkedAsDuplicate')", stream)).toBe(1);
    }
    // every referral received exactly once, every received referral caused by a referral
    const referred = count("SELECT count(*) n FROM events WHERE type = 'ClueReferred'");
    expect(referred).toBeGreaterThanOrEqual(accepted.size);
    expect(count("SELECT count(*) n FROM events WHERE type = 'ReferralReceived'")).toBe(referred);
    expect(count("SELECT count(*) n FROM (SELECT causation_id FROM events WHERE type = 'ReferralReceived' GROUP BY causation_id HAVING count(*) > 1)")).toBe(0);
    expect(
      count("SELECT count(*) n FROM events r WHERE r.type = 'ReferralReceived' AND NOT EXISTS (SELECT 1 FROM events c WHERE c.event_id = r.causation_id AND c.type = 'ClueReferred')"),
    ).toBe(0);
    db.close();
  }, 120_000);
});
