import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startPlatform, type PlatformProcess } from './support/platform-process';

/** The README's curl walkthrough must work exactly as written against the platform. */
describe('README walkthrough', () => {
  let platform: PlatformProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atr-readme-'));
    platform = await startPlatform(dataDir);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every block in order and shows the rules and the audit', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.split('<!-- walkthrough:start -->')[1]?.split('<!-- walkthrough:end -->')[0];
    expect(section).toBeDefined();
    const blocks = [...section!.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const script = blocks.join('\n').replace('API=http://localhost:3000', `API=${platform.baseUrl}`);
    expect(script).toContain(`API=${platform.baseUrl}`);
    const output = execFileSync('bash', ['-e', '-o', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(output).toMatch(/"rule": "CHILD_CASE_CLOSE_REQUIRES_SOLVED"/);
    expect(output).toMatch(/"rule": "PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN"/);
    expect(output).toMatch(/"status": "ACCEPTED"/);
    expect(output).toMatch(/"type": "VictimHandedOver"/);
    expect(output).toMatch(/"type": "AssessmentCompleted"/);
    expect(output).toMatch(/"equal": true/);
    // an auditor reads the case as it was just before it was solved
    expect(output).toMatch(/"statusBeforeSolved": "OPEN",\s*"solution": null/);
    // the ledger: a checkpoint signed, and the whole log verified against it by the CLI
    expect(output).toMatch(/^VERIFIED: http:\/\/127\.0\.0\.1:\d+$/m);
    expect(output).toMatch(/(\d+) of \1 signed checkpoints match the log/);
    expect(output).not.toMatch(/VALIDATION_FAILED|"statusCode": 5\d\d|null\b.*placement/);
  });
});
