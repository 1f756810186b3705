#!/usr/bin/env node
/**
 * npm run start:distributed — every service in its own OS process, hand-offs only over Kafka.
 *
 * - builds first (the npm pre-script), like `npm start`;
 * - uses the broker named by KAFKA_BROKERS, or starts one (infra/kafka, data in
 *   infra/kafka/.cache/broker) and stops it again on exit;
 * - starts intake, police, placement, assessment and audit on PORT+1 … PORT+5 with BUS=kafka,
 *   all on DATA_DIR (one SQLite event store file in WAL mode);
 * - serves the gateway on PORT (default 3000), which routes each path to its service, so the
 *   README walkthrough works unchanged;
 * - Ctrl-C (or SIGTERM) stops the gateway, then every service gracefully, then the broker it started.
 */
'use strict';
const path = require('node:path');
const broker = require('../kafka/broker');
const { startGateway } = require('./gateway');
const { SERVICES, startServices, ROOT } = require('./services');

async function main() {
  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || '127.0.0.1';
  const dataDir = path.resolve(process.env.DATA_DIR || path.join(ROOT, 'data'));
  let brokers = process.env.KAFKA_BROKERS;
  let ownBroker;
  if (!brokers) {
    const reason = broker.unavailableReason();
    if (reason) throw new Error(`KAFKA_BROKERS is not set and no broker can be started here: ${reason}`);
    ownBroker = await broker.start({ ownerPid: process.pid, log: (m) => console.error(m) });
    brokers = ownBroker.brokers;
    console.error(`Kafka broker ${ownBroker.reused ? 'already running' : 'started'} at ${brokers} in ${ownBroker.ms} ms`);
  }
  const ports = Object.fromEntries(SERVICES.map((name, i) => [name, port + 1 + i]));
  const env = { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, HOST: host };
  const started = Date.now();
  const services = await startServices({ ports, env, stdio: 'inherit' });
  const gateway = await startGateway({ services: Object.fromEntries(SERVICES.map((n) => [n, services[n].url])), port, host });
  console.error(
    [
      `distributed mode ready in ${Date.now() - started} ms: gateway ${gateway.url} (data in ${dataDir}, Kafka ${brokers})`,
      ...SERVICES.map((n) => `  ${n.padEnd(10)} ${services[n].url}  (OpenAPI ${services[n].url}/docs)`),
      'Ctrl-C stops everything.',
    ].join('\n'),
  );

  let stopping = false;
  const stopAll = async (why, code) => {
    if (stopping) return;
    stopping = true;
    console.error(`${why}: stopping the gateway, the services${ownBroker && !ownBroker.reused ? ' and the broker' : ''}`);
    await gateway.close();
    await Promise.all(Object.values(services).map((s) => s.stop()));
    if (ownBroker && !ownBroker.reused) await broker.stop({ dir: ownBroker.dir });
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll('SIGINT', 0));
  process.once('SIGTERM', () => void stopAll('SIGTERM', 0));
  for (const s of Object.values(services)) {
    s.child.once('exit', (code, signal) => {
      if (!stopping) void stopAll(`${s.name} exited (${code ?? signal})`, 1);
    });
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
