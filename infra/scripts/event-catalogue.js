#!/usr/bin/env node
// Prints the event catalogue as a Markdown table (for the README), from the zod definitions.
// Run after a build: node infra/scripts/event-catalogue.js
const { eventCatalogue } = require('@atr/contracts');
const rows = eventCatalogue().map((d) => `| \`${d.type}\` | v${d.version} | ${d.owner} | \`${d.category}-…\` | ${d.handoff ? 'yes' : ''} | ${d.summary} |`);
console.log(['| event | version | written by | stream | hand-off | meaning |', '|---|---|---|---|---|---|', ...rows].join('\n'));
