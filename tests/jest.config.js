// The distributed-mode suites run every service over a real Kafka broker: infra/kafka starts one
// for the run (see its jest-global-setup.js); the embedded suites do not use it.
module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  globalSetup: '../infra/kafka/jest-global-setup.js',
  globalTeardown: '../infra/kafka/jest-global-teardown.js',
};
