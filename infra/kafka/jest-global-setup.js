/**
 * jest globalSetup of the suites that need Kafka (packages/kafka, tests/): starts a broker of
 * its own in a temporary directory and hands its address to the test workers as KAFKA_BROKERS.
 * - KAFKA_BROKERS already set: that broker is used, none is started.
 * - CI=true: a broker that cannot start fails the run — never a silent skip.
 * - otherwise (a developer without Java/Maven): the Kafka suites are skipped, and this says why, loudly.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const broker = require('./broker');

const inCi = () => /^(1|true|yes)$/i.test(process.env.CI ?? '');

function shout(lines) {
  const bar = '!'.repeat(78);
  console.warn(['', bar, ...lines.map((l) => `!! ${l}`), bar, ''].join('\n'));
}

module.exports = async function startKafkaForTests() {
  if (process.env.KAFKA_BROKERS) {
    console.log(`\nKafka suites use the broker at KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
    return;
  }
  const reason = broker.unavailableReason();
  let failure = reason;
  if (!reason) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atr-kafka-test-'));
    try {
      const fetched = broker.fetchJars({ log: (m) => console.log(`\n${m}`) });
      const started = await broker.start({ dir, heap: '384m', ownerPid: process.pid });
      process.env.KAFKA_BROKERS = started.brokers;
      process.env.ATR_TEST_KAFKA_DIR = dir;
      globalThis.__ATR_TEST_KAFKA__ = dir;
      console.log(`\nKafka broker for the tests at ${started.brokers} (jars ${fetched.fetched ? `fetched in ${fetched.ms} ms` : 'cached'}; started in ${started.ms} ms)`);
      return;
    } catch (error) {
      await broker.stop({ dir, signal: 'SIGKILL' }).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
      failure = error.message;
    }
  }
  if (inCi()) throw new Error(`CI=true and the Kafka suites need a broker, but it cannot start: ${failure}`);
  process.env.KAFKA_TESTS_SKIPPED = failure;
  shout([
    'KAFKA SUITES SKIPPED: no Kafka broker could be started on this machine.',
    `reason: ${failure}`,
    'Install a JDK 17+ and Maven (or set KAFKA_BROKERS=host:port) to run them.',
    'Under CI=true this is a failure, not a skip.',
  ]);
};
