import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runJourney } from './support/journey-scenario';
import { startPlatform, type PlatformProcess } from './support/platform-process';

/**
 * One clue's whole journey over HTTP against the composed platform, started exactly as
 * `npm start` starts it: a school reports a missing pupil, police open a child case and rescue
 * her, civil affairs shelters and assesses her, refuses the buyer family and reunites her with
 * her birth family, and the auditor sees every hand-off in order with actor and causation.
 */
describe('the journey of one clue, end to end', () => {
  let platform: PlatformProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-journey-'));
    platform = await startPlatform(dataDir);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('carries the clue from the school to reintegration, and the auditor can prove every hand-off', async () => {
    await runJourney(platform.baseUrl);
  });
});
