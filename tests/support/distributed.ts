import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describeWithKafka, testBrokers as kafkaTestBrokers } from '@atr/kafka/testing/kafka';
import { freePort } from './platform-process';

/** A service process of the distributed mode (infra/distributed/services.js). */
export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

interface ServicesModule {
  SERVICES: string[];
  startService(name: string, options: { port: number; env: Record<string, string>; readyTimeoutMs?: number; waitFor?: 'ready' | 'listening' }): Promise<ServiceProcess>;
}
interface GatewayModule {
  startGateway(options: { services: Record<string, string>; port: number }): Promise<{ url: string; close(): Promise<void> }>;
}
interface BrokerModule {
  start(options: { dir: string; heap?: string; ownerPid?: number; port?: number }): Promise<{ brokers: string; ms: number }>;
  stop(options: { dir: string; signal?: string }): Promise<boolean>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const services = require(path.join(ROOT, 'infra', 'distributed', 'services.js')) as ServicesModule;
const gateway = require(path.join(ROOT, 'infra', 'distributed', 'gateway.js')) as GatewayModule;
export const broker = require(path.join(ROOT, 'infra', 'kafka', 'broker.js')) as BrokerModule;

export { describeWithKafka };

/** The broker the jest global setup started for this run (KAFKA_BROKERS), as one string. */
export function testBrokers(): string {
  const brokers = kafkaTestBrokers();
  if (!brokers) throw new Error(`no Kafka broker for the distributed tests: ${process.env.KAFKA_TESTS_SKIPPED ?? 'KAFKA_BROKERS is not set'}`);
  return brokers.join(',');
}

export interface Deployment {
  gatewayUrl: string;
  prefix: string;
  dataDir: string;
  services: Record<string, ServiceProcess>;
  /** Starts a service again on its port (after stop or kill); resolves once it listens. */
  restart(name: string): Promise<ServiceProcess>;
  stopAll(): Promise<void>;
}

/**
 * Every service in its own OS process with BUS=kafka, on one shared SQLite event store, under a
 * topic prefix of its own (tests share the broker), behind the gateway — what
 * `npm run start:distributed` starts.
 */
export async function startDeployment(options: { dataDir: string; brokers: string; env?: Record<string, string> }): Promise<Deployment> {
  const prefix = `e2e${randomBytes(4).toString('hex')}.`;
  const env = {
    KAFKA_BROKERS: options.brokers,
    DATA_DIR: options.dataDir,
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    // a killed consumer's partitions move to its successor after this long
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    ...options.env,
  };
  const ports: Record<string, number> = {};
  for (const name of services.SERVICES) ports[name] = await freePort();
  const running: Record<string, ServiceProcess> = {};
  const start = async (name: string, waitFor: 'ready' | 'listening' = 'ready') =>
    (running[name] = await services.startService(name, { port: ports[name], env, readyTimeoutMs: 180_000, waitFor }));
  // all settled, not the first failure: a service still starting when another failed must be
  // killed too, or it outlives the test run (and keeps jest from exiting)
  const started = await Promise.allSettled(services.SERVICES.map((name) => start(name)));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(Object.values(running).map((s) => s.kill()));
    throw failed.reason;
  }
  const front = await gateway.startGateway({ services: Object.fromEntries(services.SERVICES.map((n) => [n, `http://127.0.0.1:${ports[n]}`])), port: await freePort() });
  return {
    gatewayUrl: front.url,
    prefix,
    dataDir: options.dataDir,
    services: running,
    restart: (name) => start(name, 'listening'),
    async stopAll() {
      await front.close();
      await Promise.all(Object.values(running).map((s) => s.stop()));
    },
  };
}

/** Every consumer group and relay of the deployment (the audit service's view) has caught up. */
export async function allCaughtUp(deployment: Deployment): Promise<boolean> {
  try {
    const res = await fetch(`${deployment.services.audit.url}/audit/consumers`, { headers: { 'x-api-key': 'demo-jco-auditor' } });
    if (res.status !== 200) return false;
    const body = (await res.json()) as { consumers: { group: string; lag: number; running: boolean }[] };
    return body.consumers.length > 0 && body.consumers.every((c) => c.lag === 0);
  } catch {
    return false;
  }
}

/** Counts in the shared event store: every hand-off received once, none twice, none without its cause. */
export function handoffCounts(dataDir: string) {
  const db = new Database(path.join(dataDir, 'events.db'), { readonly: true });
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  try {
    return {
      submitted: count("SELECT count(*) n FROM events WHERE type = 'ClueSubmitted'"),
      referred: count("SELECT count(*) n FROM events WHERE type = 'ClueReferred'"),
      linked: count("SELECT count(*) n FROM events WHERE type = 'ClueLinkedAsDuplicate'"),
      received: count("SELECT count(*) n FROM events WHERE type = 'ReferralReceived'"),
      receivedTwice: count("SELECT count(*) n FROM (SELECT causation_id FROM events WHERE type = 'ReferralReceived' GROUP BY causation_id HAVING count(*) > 1)"),
      receivedWithoutCause: count(
        "SELECT count(*) n FROM events r WHERE r.type = 'ReferralReceived' AND NOT EXISTS (SELECT 1 FROM events c WHERE c.event_id = r.causation_id AND c.type = 'ClueReferred')",
      ),
      referredNotReceived: count(
        "SELECT count(*) n FROM events c WHERE c.type = 'ClueReferred' AND NOT EXISTS (SELECT 1 FROM events r WHERE r.causation_id = c.event_id AND r.type = 'ReferralReceived')",
      ),
      cluesSubmittedTwice: count("SELECT count(*) n FROM (SELECT stream_id FROM events WHERE type = 'ClueSubmitted' GROUP BY stream_id HAVING count(*) > 1)"),
      cluesRoutedTwice: count(
        "SELECT count(*) n FROM (SELECT stream_id FROM events WHERE type IN ('ClueReferred', 'ClueLinkedAsDuplicate') GROUP BY stream_id HAVING count(*) > 1)",
      ),
    };
  } finally {
    db.close();
  }
}

/** Every tip stored once, routed once, and each referral received once, caused by its ClueReferred. */
export function expectEveryTipHandedOverOnce(counts: ReturnType<typeof handoffCounts>, tips: number): void {
  expect(counts.submitted).toBe(tips);
  expect(counts.cluesSubmittedTwice).toBe(0);
  expect(counts.cluesRoutedTwice).toBe(0);
  expect(counts.referred + counts.linked).toBe(tips);
  expect(counts.received).toBe(counts.referred);
  expect(counts.receivedTwice).toBe(0);
  expect(counts.receivedWithoutCause).toBe(0);
  expect(counts.referredNotReceived).toBe(0);
}

/**
 * Submits `total` public tips with `connections` concurrent clients straight to intake. A tip
 * whose request fails (intake killed, restarting) is retried with its Idempotency-Key until
 * intake accepts it, as an agency's client would. `onAccepted` sees the running count.
 */
export async function submitTips(
  intakeUrl: () => string,
  total: number,
  connections: number,
  onAccepted?: (accepted: number) => Promise<void> | void,
): Promise<{ accepted: Set<string>; retries: number }> {
  const accepted = new Set<string>();
  let retries = 0;
  let next = 0;
  const tip = (i: number) => ({
    location: { divisionCode: i % 3 === 0 ? '532626' : '532622' },
    summary: `群众举报第${i}号：疑似拐卖妇女`,
    channel: 'HOTLINE',
  });
  const send = async (i: number) => {
    for (;;) {
      try {
        const res = await fetch(`${intakeUrl()}/clues/public-tips`, {
          method: 'POST',
          headers: { 'x-api-key': 'demo-public-portal', 'content-type': 'application/json', 'idempotency-key': `tip-${i}` },
          body: JSON.stringify(tip(i)),
        });
        const body = (await res.json()) as { clueId?: string };
        if ((res.status === 201 || res.status === 200) && body.clueId) {
          accepted.add(body.clueId);
          await onAccepted?.(accepted.size);
          return;
        }
        if (res.status < 500) throw new Error(`tip ${i} refused with ${res.status}: ${JSON.stringify(body)}`);
      } catch (error) {
        if (String(error).includes('refused with')) throw error;
      }
      retries++;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total) await send(next++);
    }),
  );
  return { accepted, retries };
}
