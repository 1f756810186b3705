#!/usr/bin/env node
/**
 * A real Apache Kafka broker on this machine, without Docker: the jars come from Maven Central
 * (infra/kafka/pom.xml, cached in ~/.m2 and infra/kafka/.cache/libs), and one JVM runs a
 * combined broker + controller (KRaft) on 127.0.0.1 with a small heap.
 *
 *   node infra/kafka/broker.js fetch                 resolve the jars (mvn), once
 *   node infra/kafka/broker.js start [--port N]      format (first time), start detached, wait until ready;
 *                                                    prints KAFKA_BROKERS=127.0.0.1:N
 *   node infra/kafka/broker.js stop                  SIGTERM (controlled shutdown), SIGKILL after 30 s
 *   node infra/kafka/broker.js status | logs
 *   options: --dir D (state: data, pid, server.properties, server.log; default infra/kafka/.cache/broker),
 *            --port N (default KAFKA_PORT or a free port), --heap 512m (KAFKA_HEAP)
 *
 * The same functions are exported for jest's globalSetup, the distributed start script, tests
 * that restart the broker, and the bench.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const KAFKA_DIR = __dirname;
const ROOT = path.resolve(KAFKA_DIR, '..', '..');
const CACHE = path.join(KAFKA_DIR, '.cache');
const LIBS = path.join(CACHE, 'libs');
const POM = path.join(KAFKA_DIR, 'pom.xml');
const DEFAULT_DIR = path.join(CACHE, 'broker');

/** kafkajs lives with the package that owns it (workspaces may or may not hoist it). */
function kafkajs() {
  return require(require.resolve('kafkajs', { paths: [path.join(ROOT, 'packages', 'kafka'), ROOT] }));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether a command runs at all (java -version, mvn -v). */
function runs(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

/**
 * Why a broker cannot be started here, or undefined when it can: Java is needed always, Maven
 * only until the jars are cached.
 */
function unavailableReason() {
  if (!runs('java', ['-version'])) return 'java is not installed (a JDK 17+ runs the broker)';
  if (!jarsFetched() && !runs('mvn', ['-v'])) return 'mvn is not installed and the Kafka jars are not cached yet (infra/kafka/.cache/libs)';
  return undefined;
}

const pomStamp = () => crypto.createHash('sha256').update(fs.readFileSync(POM)).digest('hex');
const stampFile = path.join(LIBS, '.pom-sha256');

function jarsFetched() {
  try {
    return fs.readFileSync(stampFile, 'utf8') === pomStamp();
  } catch {
    return false;
  }
}

/** Resolves the broker's jars into .cache/libs (mvn; ~/.m2 caches them across runs). Skips when the pom did not change. */
function fetchJars({ log = () => {} } = {}) {
  if (jarsFetched()) return { fetched: false, ms: 0 };
  const started = Date.now();
  fs.rmSync(LIBS, { recursive: true, force: true });
  log(`fetching the Kafka broker jars from Maven Central (mvn -f ${path.relative(process.cwd(), POM)}) …`);
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${LIBS}`, '-DincludeScope=runtime'],
    { encoding: 'utf8', timeout: 10 * 60_000 },
  );
  if (result.status !== 0) {
    throw new Error(`mvn could not fetch the Kafka jars (exit ${result.status ?? result.signal}):\n${(result.stdout || '') + (result.stderr || '')}`.trim());
  }
  fs.writeFileSync(stampFile, pomStamp());
  return { fetched: true, ms: Date.now() - started };
}

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (what kafka-storage
 * random-uuid prints). Drawn again when it starts with '-': kafka-storage would read it as an
 * option and refuse to format (1 start in 64 failed so); Kafka's own Uuid.randomUuid() does the same.
 */
function clusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties({ dir, port, controllerPort }) {
  return [
    '# written by infra/kafka/broker.js: one combined broker + controller (KRaft) on loopback',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${path.join(dir, 'data')}`,
    // one broker: internal topics cannot have more replicas than that
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // 2 shared cores: fewer threads and internal partitions than the defaults (8 io threads, 50 offsets partitions)
    'num.network.threads=2',
    'num.io.threads=4',
    'background.threads=4',
    'offsets.topic.num.partitions=8',
    'num.partitions=4',
    // topics are created by the bus with their partition count; a typo must not create one silently
    'auto.create.topics.enable=false',
    // a group forms at once instead of waiting 3 s for more members
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

function log4jProperties(dir) {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${path.join(dir, 'server.log')}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    // the broker logs every partition's state change at INFO: keep the file readable
    'logger.state.name = state.change.logger',
    'logger.state.level = warn',
    'logger.cleaner.name = kafka.log.LogCleaner',
    'logger.cleaner.level = warn',
    '',
  ].join('\n');
}

const files = (dir) => ({
  properties: path.join(dir, 'server.properties'),
  log4j: path.join(dir, 'log4j2.properties'),
  pid: path.join(dir, 'broker.pid'),
  out: path.join(dir, 'server.out'),
  log: path.join(dir, 'server.log'),
  formatted: path.join(dir, 'data', 'meta.properties'),
});

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function readPid(dir) {
  try {
    const pid = Number(fs.readFileSync(files(dir).pid, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function portOf(dir) {
  const text = fs.readFileSync(files(dir).properties, 'utf8');
  const match = /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/m.exec(text);
  if (!match) throw new Error(`no PLAINTEXT listener in ${files(dir).properties}`);
  return Number(match[1]);
}

/** { running, pid, brokers } of the broker kept in `dir`. */
function status(dir = DEFAULT_DIR) {
  const pid = readPid(dir);
  const running = pid !== undefined && alive(pid);
  const brokers = fs.existsSync(files(dir).properties) ? `127.0.0.1:${portOf(dir)}` : undefined;
  return { running, pid: running ? pid : undefined, brokers, dir };
}

const javaClasspath = () => `${LIBS}${path.sep}*`;

/** Formats KRaft storage the first time (a fresh cluster id); later starts reuse data and port. */
async function prepare(dir, port) {
  const f = files(dir);
  if (fs.existsSync(f.formatted)) return;
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const brokerPort = port ?? (await freePort());
  let controllerPort = await freePort();
  while (controllerPort === brokerPort) controllerPort = await freePort();
  fs.writeFileSync(f.properties, serverProperties({ dir, port: brokerPort, controllerPort }));
  fs.writeFileSync(f.log4j, log4jProperties(dir));
  const result = spawnSync(
    'java',
    ['-Xmx256m', `-Dlog4j2.configurationFile=${f.log4j}`, '-cp', javaClasspath(), 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', f.properties],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`kafka.tools.StorageTool format failed:\n${result.stdout}${result.stderr}`);
}

/** Resolves once a kafkajs admin client connects and sees the cluster (the broker is ready for clients). */
async function waitReady(brokers, { timeoutMs = 90_000, pid, dir } = {}) {
  const { Kafka, logLevel } = kafkajs();
  const kafka = new Kafka({ clientId: 'broker-readiness', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pid !== undefined && !alive(pid)) {
      throw new Error(`the Kafka broker exited during start-up; last lines of ${files(dir).out}:\n${tail(files(dir).out, 30)}\n${tail(files(dir).log, 30)}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== undefined) return;
    } catch {
      /* not listening or not ready yet */
    } finally {
      await admin.disconnect().catch(() => {});
    }
    if (Date.now() > deadline) throw new Error(`the Kafka broker at ${brokers} was not ready after ${timeoutMs} ms; see ${files(dir).log}`);
    await sleep(250);
  }
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts the broker kept in `dir` (formatting it the first time) detached from this process,
 * and resolves once clients can use it. A broker already running there is reused.
 * Returns { brokers: '127.0.0.1:PORT', pid, dir, ms, reused }.
 */
async function start({ dir = DEFAULT_DIR, port, heap = process.env.KAFKA_HEAP || '512m', readyTimeoutMs = 90_000, ownerPid, log = () => {} } = {}) {
  const started = Date.now();
  dir = path.resolve(dir);
  const current = status(dir);
  if (current.running) {
    await waitReady(current.brokers, { timeoutMs: readyTimeoutMs, pid: current.pid, dir });
    return { brokers: current.brokers, pid: current.pid, dir, ms: Date.now() - started, reused: true };
  }
  fetchJars({ log });
  await prepare(dir, port);
  const f = files(dir);
  const brokers = `127.0.0.1:${portOf(dir)}`;
  const out = fs.openSync(f.out, 'a');
  const child = spawn(
    'java',
    [
      `-Xmx${heap}`,
      `-Xms${heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${f.log4j}`,
      `-Dkafka.logs.dir=${dir}`,
      '-cp',
      javaClasspath(),
      'kafka.Kafka',
      f.properties,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  child.unref();
  fs.writeFileSync(f.pid, String(child.pid));
  if (ownerPid !== undefined) watch(dir, ownerPid, child.pid);
  log(`Kafka broker starting (pid ${child.pid}) on ${brokers}, data in ${path.join(dir, 'data')}`);
  try {
    await waitReady(brokers, { timeoutMs: readyTimeoutMs, pid: child.pid, dir });
  } catch (error) {
    await stop({ dir, signal: 'SIGKILL' });
    throw error;
  }
  return { brokers, pid: child.pid, dir, ms: Date.now() - started, reused: false };
}

/**
 * A broker started for a process (a test run, the distributed start script) must not outlive
 * it, even when that process is killed: a small detached watchdog stops the broker once the
 * owner is gone, and exits when the broker is gone.
 */
function watch(dir, ownerPid, brokerPid) {
  const watchdog = spawn(process.execPath, [__filename, 'watch', '--dir', dir, '--owner', String(ownerPid), '--broker', String(brokerPid)], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

async function watchdog(dir, ownerPid, brokerPid) {
  while (alive(brokerPid)) {
    if (!alive(ownerPid)) {
      if (readPid(dir) === brokerPid) await stop({ dir });
      return;
    }
    await sleep(1000);
  }
}

/** Stops the broker kept in `dir`: SIGTERM (controlled shutdown), SIGKILL after timeoutMs; `signal: 'SIGKILL'` is the crash. */
async function stop({ dir = DEFAULT_DIR, signal = 'SIGTERM', timeoutMs = 30_000 } = {}) {
  dir = path.resolve(dir);
  const pid = readPid(dir);
  if (pid === undefined || !alive(pid)) {
    fs.rmSync(files(dir).pid, { force: true });
    return false;
  }
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      continue;
    }
    await sleep(100);
  }
  fs.rmSync(files(dir).pid, { force: true });
  return true;
}

module.exports = { start, stop, status, fetchJars, waitReady, unavailableReason, freePort, clusterId, DEFAULT_DIR, LIBS };

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const dir = path.resolve(option(args, 'dir', process.env.KAFKA_DIR || DEFAULT_DIR));
  const log = (message) => console.error(message);
  switch (command) {
    case 'fetch': {
      const reason = unavailableReason();
      if (reason) throw new Error(reason);
      const { fetched, ms } = fetchJars({ log });
      console.log(fetched ? `fetched into ${LIBS} in ${ms} ms` : `already in ${LIBS}`);
      return;
    }
    case 'start': {
      const reason = unavailableReason();
      if (reason) throw new Error(`cannot start a Kafka broker here: ${reason}`);
      const portValue = option(args, 'port', process.env.KAFKA_PORT);
      const port = portValue === undefined ? undefined : Number(portValue);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error(`--port must be a TCP port, got ${portValue}`);
      const result = await start({ dir, port, heap: option(args, 'heap', undefined), log });
      log(`${result.reused ? 'already running' : 'started'} in ${result.ms} ms (pid ${result.pid}); stop with: node infra/kafka/broker.js stop`);
      console.log(`KAFKA_BROKERS=${result.brokers}`);
      return;
    }
    case 'stop':
      console.log((await stop({ dir })) ? 'stopped' : 'not running');
      return;
    case 'status': {
      const s = status(dir);
      console.log(s.running ? `running (pid ${s.pid}) at ${s.brokers}` : 'not running');
      process.exitCode = s.running ? 0 : 3;
      return;
    }
    case 'watch':
      await watchdog(dir, Number(option(args, 'owner')), Number(option(args, 'broker')));
      return;
    case 'logs':
      process.stdout.write(tail(files(dir).log, Number(option(args, 'lines', '100'))) + '\n');
      return;
    default:
      console.error('usage: node infra/kafka/broker.js fetch|start|stop|status|logs [--dir D] [--port N] [--heap 512m]');
      process.exitCode = 64;
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
