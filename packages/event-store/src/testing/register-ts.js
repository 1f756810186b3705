// Require hook for child processes of the tests: runs TypeScript sources through swc (as jest
// does) and resolves @atr/<name> to packages/<name>/src, so no build step is needed.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../../..');
const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const match = /^@atr\/([^/]+)(?:\/(.+))?$/.exec(request);
  if (match) {
    for (const dir of ['packages', 'apps']) {
      const src = path.join(root, dir, match[1], 'src');
      if (fs.existsSync(src)) return resolveFilename.call(this, path.join(src, match[2] ?? 'index'), ...rest);
    }
  }
  return resolveFilename.call(this, request, ...rest);
};
