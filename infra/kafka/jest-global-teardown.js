/** jest globalTeardown: stops the broker the global setup started, and removes its data. */
'use strict';
const fs = require('node:fs');
const broker = require('./broker');

module.exports = async function stopKafkaForTests() {
  const dir = globalThis.__ATR_TEST_KAFKA__;
  if (!dir) return;
  await broker.stop({ dir });
  fs.rmSync(dir, { recursive: true, force: true });
};
