import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.ACK_DEADLINE_URGENT_MINUTES).toBe(15);
    expect(config.EVENT_STORE).toBe('sqlite');
  });

  it('names every bad value with the problem', () => {
    try {
      loadConfig({ PORT: 'eighty', ACK_DEADLINE_URGENT_MINUTES: '-5', BUS: 'carrier-pigeon' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^PORT="eighty": /m);
      expect(problems).toMatch(/^ACK_DEADLINE_URGENT_MINUTES="-5": /m);
      expect(problems).toMatch(/^BUS="carrier-pigeon": /m);
    }
  });

  it('chooses KurrentDB only with a connection string', () => {
    const url = 'kurrentdb://admin:changeit@localhost:2113?tls=false';
    expect(loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: url })).toMatchObject({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: url });
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(/KURRENTDB_URL=undefined: is required when EVENT_STORE=kurrentdb/);
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'localhost:2113' })).toThrow(/KURRENTDB_URL="localhost:2113": must be a connection string/);
    expect(() => loadConfig({ EVENT_STORE: 'eventstore' })).toThrow(/^  - EVENT_STORE="eventstore": /m);
  });
});

describe('loadConfig for distributed mode', () => {
  it('reads BUS=kafka with its brokers and defaults', () => {
    const config = loadConfig({ BUS: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9093' });
    expect(config).toMatchObject({ BUS: 'kafka', KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'], KAFKA_TOPIC_PREFIX: 'atr.', KAFKA_PARTITIONS: 4 });
  });

  it('asks for KAFKA_BROKERS when BUS=kafka, and names a bad broker or prefix', () => {
    expect(() => loadConfig({ BUS: 'kafka' })).toThrow(/KAFKA_BROKERS=undefined: required when BUS=kafka/);
    try {
      loadConfig({ BUS: 'kafka', KAFKA_BROKERS: 'kafka-without-port', KAFKA_TOPIC_PREFIX: 'has space' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^KAFKA_BROKERS="kafka-without-port": "kafka-without-port" is not host:port/m);
      expect(problems).toMatch(/^KAFKA_TOPIC_PREFIX="has space": /m);
    }
  });

  it('keeps the embedded defaults when nothing about Kafka is set', () => {
    expect(loadConfig({})).toMatchObject({ BUS: 'in-process', KAFKA_BROKERS: undefined });
  });

  it('runs consumers on a thread only beside the embedded store and bus', () => {
    expect(loadConfig({ CONSUMERS: 'thread' }).CONSUMERS).toBe('thread');
    expect(() => loadConfig({ CONSUMERS: 'thread', BUS: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092' })).toThrow(/CONSUMERS="thread": thread needs BUS=in-process and EVENT_STORE=sqlite/);
    expect(() => loadConfig({ CONSUMERS: 'elsewhere' })).toThrow(/^ {2}- CONSUMERS="elsewhere": /m);
  });
});
