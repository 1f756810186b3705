import { KafkaSettingsSchema } from './settings';

describe('Kafka settings', () => {
  it('reads a comma list of brokers and applies the defaults', () => {
    const settings = KafkaSettingsSchema.parse({ KAFKA_BROKERS: '127.0.0.1:9092, kafka-2.internal:19092' });
    expect(settings).toMatchObject({ KAFKA_BROKERS: ['127.0.0.1:9092', 'kafka-2.internal:19092'], KAFKA_TOPIC_PREFIX: 'atr.', KAFKA_PARTITIONS: 4, KAFKA_CLIENT_ID: 'atr' });
  });

  it('names each bad value', () => {
    const result = KafkaSettingsSchema.safeParse({ KAFKA_BROKERS: 'localhost, 127.0.0.1:99999', KAFKA_TOPIC_PREFIX: 'a b', KAFKA_PARTITIONS: '0', KAFKA_SESSION_TIMEOUT_MS: '10' });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(messages).toMatch(/KAFKA_BROKERS: "localhost" is not host:port/);
    expect(messages).toMatch(/KAFKA_BROKERS: "127.0.0.1:99999" is not host:port/);
    expect(messages).toMatch(/KAFKA_TOPIC_PREFIX: /);
    expect(messages).toMatch(/KAFKA_PARTITIONS: /);
    expect(messages).toMatch(/KAFKA_SESSION_TIMEOUT_MS: /);
  });
});
