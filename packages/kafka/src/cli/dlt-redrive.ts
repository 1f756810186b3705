#!/usr/bin/env node
import { z } from 'zod';
import { redriveDeadLetterTopic } from '../redrive-command';
import { KafkaBrokers, KafkaSettings } from '../settings';
import { TOPICS } from '../topics';

/**
 * npm run dlt:redrive -- --group police:inbox   (or --all)
 * Re-drives a consumer group's dead-letter topic after a fix; KAFKA_BROKERS and
 * KAFKA_TOPIC_PREFIX as for the services.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const groups = TOPICS.flatMap((t) => t.consumers);
  const at = args.indexOf('--group');
  const chosen = args.includes('--all') ? groups : at >= 0 ? [args[at + 1]] : [];
  const env = z.object({ KAFKA_BROKERS: KafkaBrokers, KAFKA_TOPIC_PREFIX: KafkaSettings.KAFKA_TOPIC_PREFIX }).safeParse({
    KAFKA_BROKERS: process.env.KAFKA_BROKERS || undefined,
    KAFKA_TOPIC_PREFIX: process.env.KAFKA_TOPIC_PREFIX || undefined,
  });
  const problems = env.success ? [] : env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (chosen.length === 0 || chosen.some((g) => !g)) problems.push(`name a group with --group (one of: ${groups.join(', ')}) or --all`);
  for (const g of chosen) if (g && !groups.includes(g)) problems.push(`--group ${g}: not a consumer group of the topic catalogue (${groups.join(', ')})`);
  if (problems.length > 0 || !env.success) {
    console.error(`usage: npm run dlt:redrive -- --group GROUP | --all\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(64);
  }
  for (const group of chosen) {
    const count = await redriveDeadLetterTopic({ brokers: env.data.KAFKA_BROKERS, topicPrefix: env.data.KAFKA_TOPIC_PREFIX, group });
    console.log(`${group}: ${count} dead letter(s) re-driven to their original topic`);
  }
}

main().catch((error) => {
  console.error(String(error));
  process.exit(1);
});
