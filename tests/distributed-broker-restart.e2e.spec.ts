import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { allCaughtUp, expectEveryTipHandedOverOnce, broker, describeWithKafka, handoffCounts, startDeployment, submitTips, type Deployment } from './support/distributed';
import { eventually } from './support/platform-process';

const TIPS = 4_000;

/**
 * The broker goes away in the middle of a stream and comes back (same port, same data): the
 * relays keep their checkpoints until Kafka acknowledges, the consumer groups resume from their
 * commits, so every referral still reaches the police inbox exactly once. The broker here is
 * this suite's own, so restarting it disturbs no other suite.
 */
describeWithKafka('distributed mode: the broker restarts during a run', () => {
  let dataDir: string;
  let brokerDir: string;
  let deployment: Deployment | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-distributed-broker-'));
    brokerDir = mkdtempSync(path.join(tmpdir(), 'atr-kafka-restart-'));
  });
  afterAll(async () => {
    await deployment?.stopAll();
    await broker.stop({ dir: brokerDir });
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(brokerDir, { recursive: true, force: true });
  });

  it(`delivers every hand-off of ${TIPS} tips exactly once across a broker restart`, async () => {
    const began = Date.now();
    const { brokers } = await broker.start({ dir: brokerDir, heap: '384m', ownerPid: process.pid });
    deployment = await startDeployment({ dataDir, brokers });
    const d = deployment;
    let outage: Promise<void> | undefined;
    const restart = { at: 0, downMs: 0 };
    const { accepted } = await submitTips(
      () => d.services.intake.url,
      TIPS,
      8,
      (count) => {
        if (count < TIPS * 0.3 || outage) return;
        restart.at = count;
        outage = (async () => {
          const t = Date.now();
          await broker.stop({ dir: brokerDir });
          await new Promise((r) => setTimeout(r, 2_000)); // hand-offs pile up in the store meanwhile
          await broker.start({ dir: brokerDir, heap: '384m', ownerPid: process.pid });
          restart.downMs = Date.now() - t;
        })();
      },
    );
    await outage;
    expect(restart.at).toBeGreaterThan(0);
    expect(accepted.size).toBe(TIPS);

    await eventually(() => allCaughtUp(d), 'every group and relay to catch up after the broker came back', 240_000);
    const counts = handoffCounts(dataDir);
    console.log(`${TIPS} tips: broker down at ${restart.at} accepted for ${restart.downMs} ms; ${counts.received} received; ${Math.round((Date.now() - began) / 1000)} s in all`);
    expectEveryTipHandedOverOnce(counts, TIPS);
  }, 900_000);
});
