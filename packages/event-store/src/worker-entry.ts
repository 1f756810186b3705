import * as path from 'node:path';

/**
 * The script of a worker thread that sits beside `callerFile` as `<name>.js` (or `.ts`). Built
 * code runs the compiled worker; run from TypeScript sources (the tests), the worker compiles on
 * the fly as its parent does, through the same require hook the tests' child processes use.
 */
export function workerEntry(callerFile: string, name: string): { file: string; execArgv?: string[] } {
  const extension = path.extname(callerFile);
  const file = path.join(path.dirname(callerFile), `${name}${extension}`);
  if (extension !== '.ts') return { file };
  // from src/ or dist/ alike: the hook is plain JavaScript kept in src/testing
  return { file, execArgv: ['--require', path.resolve(__dirname, '..', 'src', 'testing', 'register-ts.js')] };
}
