import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { allCaughtUp, expectEveryTipHandedOverOnce, describeWithKafka, handoffCounts, startDeployment, submitTips, testBrokers, type Deployment } from './support/distributed';
import { eventually } from './support/platform-process';

const TIPS = 10_000;

/**
 * Nothing accepted is lost and nothing is handed off twice, over Kafka: in the middle of a
 * stream of 10,000 tips, kill -9 intake (whose relay publishes ClueReferred) and police (whose
 * inbox group consumes it), restart both; every referral reaches the police inbox exactly once
 * (counted by causation in the shared store).
 */
describeWithKafka('distributed mode: kill -9 the relay and a consumer mid-stream', () => {
  let dataDir: string;
  let deployment: Deployment | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-distributed-crash-'));
  });
  afterAll(async () => {
    await deployment?.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`delivers every hand-off of ${TIPS} tips exactly once after SIGKILL of intake and police`, async () => {
    const began = Date.now();
    deployment = await startDeployment({ dataDir, brokers: testBrokers() });
    const d = deployment;
    let crash: Promise<void> | undefined;
    const killed = { at: 0, restartedAfterMs: 0 };
    const { accepted, retries } = await submitTips(
      () => d.services.intake.url,
      TIPS,
      12,
      (count) => {
        if (count < TIPS * 0.3 || crash) return;
        killed.at = count;
        crash = (async () => {
          // both crash at once: intake mid-relay (and mid-request), police mid-batch
          await Promise.all([d.services.intake.kill(), d.services.police.kill()]);
          const t = Date.now();
          await Promise.all([d.restart('intake'), d.restart('police')]);
          killed.restartedAfterMs = Date.now() - t;
        })();
      },
    );
    await crash;
    expect(killed.at).toBeGreaterThan(0);
    expect(accepted.size).toBe(TIPS);

    await eventually(() => allCaughtUp(d), 'every group and relay to catch up', 180_000);
    const counts = handoffCounts(dataDir);
    console.log(
      `${TIPS} tips: killed at ${killed.at} accepted, restarted in ${killed.restartedAfterMs} ms, ${retries} client retries, ` +
        `${counts.referred} referred, ${counts.received} received; ${Math.round((Date.now() - began) / 1000)} s in all`,
    );
    expectEveryTipHandedOverOnce(counts, TIPS);
  }, 900_000);
});
