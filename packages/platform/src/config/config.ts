import * as path from 'node:path';
import { z } from 'zod';
import { KafkaSettings } from '@atr/kafka';

const minutes = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Root of the repository, so relative defaults work from any working directory. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Every setting comes from the environment and is validated at start-up. */
export const PlatformConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default(path.join(process.cwd(), 'data')),
  AGENCIES_FILE: z.string().default(path.join(REPO_ROOT, 'infra', 'agencies.demo.json')),
  /** sqlite: the embedded file in DATA_DIR; kurrentdb: the server named by KURRENTDB_URL. */
  EVENT_STORE: z.enum(['sqlite', 'kurrentdb']).default('sqlite'),
  KURRENTDB_URL: z
    .string()
    .regex(/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/\S+$/, 'must be a connection string such as kurrentdb://admin:changeit@localhost:2113?tls=false')
    .optional(),
  /** in-process: embedded mode (one process); kafka: one service per process, hand-offs over Kafka. */
  BUS: z.enum(['in-process', 'kafka']).default('in-process'),
  /**
   * Where `npm start` (all services in one process) runs the consumers: `thread` (a worker thread
   * of the process, so HTTP requests never wait behind them) or `inline` (the HTTP thread).
   * Needs BUS=in-process and EVENT_STORE=sqlite; one-service processes always run them inline.
   */
  CONSUMERS: z.enum(['thread', 'inline']).optional(),
  /**
   * With CONSUMERS=thread: above this many requests a second the consumers yield to the HTTP
   * thread (each group rests eleven times as long as its last batch took), so a burst of
   * submissions is accepted first and the hand-offs catch up after it. Set it near what the
   * consumers sustain end to end (about 450 clues/s on two cores); 0 never yields.
   */
  CONSUMERS_YIELD_ABOVE_RPS: z.coerce.number().int().min(0).default(400),
  /**
   * How the consumer thread and the ledger's hashing thread yield the CPU (Linux): `idle`
   * (SCHED_IDLE: they run on what the HTTP and commit threads leave, and wait while every core
   * is saturated) or `low` (nice 10: a smaller share that never drops to nothing).
   */
  BACKGROUND_THREADS: z.enum(['idle', 'low']).default('idle'),
  ...KafkaSettings,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted request body; larger ones get 413. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
  /** Acknowledgment deadlines per priority (minutes): urgent clues within minutes. */
  ACK_DEADLINE_URGENT_MINUTES: minutes(15),
  ACK_DEADLINE_HIGH_MINUTES: minutes(4 * 60),
  ACK_DEADLINE_NORMAL_MINUTES: minutes(3 * 24 * 60),
  /** How often the deadline watcher looks for overdue referrals. */
  DEADLINE_CHECK_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  /** Days in shelter without a family before civil affairs may apply for household registration. */
  HOUSEHOLD_REGISTRATION_MIN_STAY_DAYS: z.coerce.number().int().min(0).default(90),
  /** The ledger's origin: names this log in every signed checkpoint (C2SP tlog-checkpoint). */
  LEDGER_ORIGIN: z.string().regex(/^[^\s+]+$/, 'must be one word without spaces or "+", e.g. clue-referral.example.cn/ledger').default('clue-referral.example.cn/ledger'),
  /** Ed25519 private key (PKCS#8 PEM) that signs checkpoints. The default is the demo key: never in production. */
  LEDGER_SIGNING_KEY_FILE: z.string().default(path.join(REPO_ROOT, 'infra', 'ledger', 'demo-signing-key.pem')),
  /** Sign a checkpoint once this many events were recorded since the last one… */
  LEDGER_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(1000),
  /** …or this often when fewer came (0: only by count and on request). */
  LEDGER_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Time allowed for in-flight requests and appends on shutdown. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});
export type PlatformConfig = z.infer<typeof PlatformConfig>;

/** Rules across settings: each problem is reported on the setting that is missing. */
function valuesThatGoTogether(config: PlatformConfig, ctx: z.RefinementCtx): void {
  if (config.EVENT_STORE === 'kurrentdb' && !config.KURRENTDB_URL) {
    ctx.addIssue({ code: 'custom', path: ['KURRENTDB_URL'], message: 'is required when EVENT_STORE=kurrentdb (e.g. kurrentdb://admin:changeit@localhost:2113?tls=false)' });
  }
  if (config.CONSUMERS === 'thread' && (config.BUS !== 'in-process' || config.EVENT_STORE !== 'sqlite')) {
    ctx.addIssue({ code: 'custom', path: ['CONSUMERS'], message: 'thread needs BUS=in-process and EVENT_STORE=sqlite (the worker thread shares the embedded store file)' });
  }
  if (config.BUS === 'kafka' && !config.KAFKA_BROKERS) {
    ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required when BUS=kafka: a comma list of host:port (e.g. 127.0.0.1:9092)' });
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration; a bad value stops start-up with one line per problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): PlatformConfig {
  const known = Object.fromEntries(Object.keys(PlatformConfig.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = PlatformConfig.superRefine(valuesThatGoTogether).safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(known[String(i.path[0])])}: ${i.message}`));
  }
  return parsed.data;
}

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
