// Shared jest setup: tests run from TypeScript sources through swc (fast on 2 cores, keeps
// Nest's decorator metadata), and workspace imports resolve to sources, so no build is needed.
const path = require('node:path');
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));

const moduleNameMapper = {};
for (const dir of ['packages', 'apps']) {
  for (const name of fs.readdirSync(path.join(__dirname, dir))) {
    moduleNameMapper[`^@atr/${name}$`] = path.join(__dirname, dir, name, 'src');
    moduleNameMapper[`^@atr/${name}/(.*)$`] = path.join(__dirname, dir, name, 'src', '$1');
  }
}

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // a few dependencies of @fastify/static ship ESM only (Node loads them with require(esm); jest
  // cannot), so they are transformed like our sources
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
