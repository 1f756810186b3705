import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { newId } from '@atr/contracts';
import { publishRaw, readTopic } from '@atr/kafka/testing/kafka';
import { allCaughtUp, describeWithKafka, handoffCounts, startDeployment, submitTips, testBrokers, type Deployment } from './support/distributed';
import { runJourney } from './support/journey-scenario';
import { client, eventually } from './support/platform-process';

/**
 * Distributed mode: intake, police, placement, assessment and audit each in its own OS process
 * (BUS=kafka), one shared SQLite event store, hand-offs only through the real Kafka broker.
 */
describeWithKafka('distributed mode over Kafka', () => {
  let dataDir: string;
  let deployment: Deployment;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-distributed-'));
    deployment = await startDeployment({ dataDir, brokers: testBrokers() });
  }, 240_000);
  afterAll(async () => {
    await deployment?.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('carries one clue’s whole journey across the five processes, every hand-off through Kafka', async () => {
    await runJourney(deployment.gatewayUrl, { handoffTimeoutMs: 30_000 });
    const auditor = client(deployment.services.audit.url, 'demo-jco-auditor');
    await eventually(() => allCaughtUp(deployment), 'every group and relay to catch up', 30_000);
    const { body } = await auditor('GET', '/audit/consumers');
    const byGroup = Object.fromEntries(body.consumers.map((c: { group: string }) => [c.group, c]));
    // each receiving group is a Kafka consumer group that consumed the journey's hand-offs
    for (const group of ['police:inbox', 'police:information', 'intake:feedback', 'placement:handover', 'assessment:requests', 'placement:assessment-results']) {
      expect(byGroup[group]).toMatchObject({ transport: 'kafka', lag: 0, running: true, deadLetters: 0 });
      expect(byGroup[group].checkpoint).toBeGreaterThan(0);
    }
    for (const relay of ['relay:intake', 'relay:police', 'relay:placement', 'relay:assessment']) expect(byGroup[relay]).toMatchObject({ transport: 'relay', lag: 0 });
    // and the police process reads ClueReferred from Kafka only: its inbox group is no store subscription
    const ready = await client(deployment.services.police.url, '')('GET', '/ready');
    expect(ready.body.consumers.find((c: { group: string }) => c.group === 'police:inbox')).toMatchObject({ transport: 'kafka' });
    expect(ready.body.consumers.find((c: { group: string }) => c.group === 'read-model:police_inbox')).toMatchObject({ transport: 'store' });
  }, 180_000);

  it('dead-letters a poison event with its origin, keeps the partition flowing, and the re-drive command sends it back', async () => {
    const brokers = testBrokers().split(',');
    const topic = `${deployment.prefix}clue-referrals`;
    // a ClueReferred whose payload no version of the contract reads: police cannot handle it, ever
    const poison = {
      eventId: newId(),
      type: 'ClueReferred',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      recordedAt: new Date().toISOString(),
      actor: { agencyId: 'yanshan-public-portal', agencyKind: 'PUBLIC', jurisdiction: '532622', userId: 'portal', role: 'REPORTER' },
      correlationId: newId(),
      causationId: newId(),
      streamId: `clue-${newId()}`,
      streamRevision: 2,
      globalPosition: 999_999,
      payload: { referralId: 'not-a-uuid' },
    };
    const before = handoffCounts(dataDir).received;
    // the same partition count as the topic: some later tips share the poison's partition
    await publishRaw(brokers, topic, [{ key: poison.correlationId, value: JSON.stringify(poison), headers: { 'atr-event-type': 'ClueReferred' } }]);
    const { accepted } = await submitTips(() => deployment.services.intake.url, 40, 4);
    expect(accepted.size).toBe(40);
    await eventually(async () => handoffCounts(dataDir).received >= before + 40, 'the later tips in the police inbox', 60_000);

    const police = client(deployment.services.police.url, '');
    const inbox = await eventually(async () => {
      const { body } = await police('GET', '/ready');
      const group = body.consumers?.find((c: { group: string }) => c.group === 'police:inbox');
      return group?.deadLetters === 1 && group;
    }, 'the dead letter in the police inbox group', 30_000);
    expect(inbox).toMatchObject({ lag: 0, transport: 'kafka' });
    const [letter] = await readTopic(brokers, `${deployment.prefix}dead-letters.police.inbox`, 1);
    expect(JSON.parse(letter.value!).eventId).toBe(poison.eventId);
    expect(letter.headers).toMatchObject({ 'atr-dlt-group': 'police:inbox', 'atr-dlt-original-topic': topic, 'atr-dlt-attempts': '5' });
    expect(letter.headers['atr-dlt-error']).toMatch(/ClueReferred/);
    const counts = handoffCounts(dataDir);
    expect(counts).toMatchObject({ receivedTwice: 0, receivedWithoutCause: 0, referredNotReceived: 0 });

    // the operator's command: the event goes back to its group, fails again (nothing was fixed), and returns to the dead-letter topic
    const { execFileSync } = await import('node:child_process');
    const output = execFileSync(process.execPath, [path.join(__dirname, '..', 'packages', 'kafka', 'dist', 'cli', 'dlt-redrive.js'), '--group', 'police:inbox'], {
      env: { ...process.env, KAFKA_BROKERS: testBrokers(), KAFKA_TOPIC_PREFIX: deployment.prefix },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(output).toMatch(/police:inbox: 1 dead letter\(s\) re-driven/);
    const letters = await readTopic(brokers, `${deployment.prefix}dead-letters.police.inbox`, 2, 30_000);
    expect(letters.map((l: { value: string | null }) => JSON.parse(l.value!).eventId)).toEqual([poison.eventId, poison.eventId]);
  }, 180_000);
});
