#!/usr/bin/env node
// The `audit` command (npx audit …): a committed shim, so npm links it on install, before the build.
require('../dist/cli/main.js').main(process.argv);
