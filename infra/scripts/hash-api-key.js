#!/usr/bin/env node
// Prints the SHA-256 of an API key, as AGENCIES_FILE stores it (keys themselves are never stored).
const { createHash } = require('node:crypto');
const key = process.argv[2];
if (!key) {
  console.error('usage: node infra/scripts/hash-api-key.js <api-key>');
  process.exit(2);
}
console.log(createHash('sha256').update(key, 'utf8').digest('hex'));
