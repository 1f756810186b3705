// The Kafka suites run against a real broker: infra/kafka starts one for the run (see its jest-global-setup.js).
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  globalSetup: '../../infra/kafka/jest-global-setup.js',
  globalTeardown: '../../infra/kafka/jest-global-teardown.js',
  testTimeout: 60_000,
};
