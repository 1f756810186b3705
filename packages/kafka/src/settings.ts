import { z } from 'zod';
import { TOPIC_PREFIX_PATTERN } from './topics';

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;

/** A comma list of host:port; each bad entry is named. */
export const KafkaBrokers = z.string().transform((value, ctx) => {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one host:port' });
  for (const broker of brokers) {
    const port = Number(broker.slice(broker.lastIndexOf(':') + 1));
    if (!HOST_PORT.test(broker) || port < 1 || port > 65535) ctx.addIssue({ code: 'custom', message: `"${broker}" is not host:port (e.g. 127.0.0.1:9092)` });
  }
  return brokers;
});

/**
 * The Kafka settings, from the environment (validated at start-up by the platform's
 * configuration and by the dead-letter command).
 */
export const KafkaSettings = {
  /** Comma list of bootstrap brokers; required when BUS=kafka. */
  KAFKA_BROKERS: KafkaBrokers.optional(),
  /** Client id prefix in the broker's logs and quotas; the service name is appended. */
  KAFKA_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-" only')
    .default('atr'),
  /** Prefix of every topic and consumer group of this deployment (several deployments may share a cluster). */
  KAFKA_TOPIC_PREFIX: z.string().max(100).regex(TOPIC_PREFIX_PATTERN, 'letters, digits, ".", "_" and "-" only').default('atr.'),
  /** Partitions of each hand-off topic when the bus creates it (journeys spread over them). */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(4),
  /** A consumer that stops heartbeating (crash, kill -9) loses its partitions after this long. */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(10_000),
};

export const KafkaSettingsSchema = z.object(KafkaSettings);
export type KafkaSettings = z.infer<typeof KafkaSettingsSchema>;
