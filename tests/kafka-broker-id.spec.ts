// infra/kafka/broker.js formats a fresh KRaft storage with `kafka-storage format -t <id>`: an id
// starting with '-' is read as an option there and the broker cannot start (1 start in 64).
const { clusterId } = require('../infra/kafka/broker') as { clusterId(): string };

describe('infra/kafka cluster ids', () => {
  it('are 16 random bytes in URL-safe base64 that never start with "-"', () => {
    const ids = Array.from({ length: 2_000 }, () => clusterId());
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
