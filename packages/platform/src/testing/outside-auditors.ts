import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { hashApiKey } from '../auth/agency-directory';
import { REPO_ROOT } from '../config/config';

/** Auditors outside 砚山县's oversight, added to the demo agencies for jurisdiction tests. */
export const OTHER_PROVINCE_AUDITOR = 'test-liuan-jco-auditor';
export const OTHER_COUNTY_AUDITOR = 'test-wenshanshi-procuratorate-auditor';

/** Writes the demo agencies plus the test auditors to a temp file; returns its path for AGENCIES_FILE. */
export function agenciesWithOutsideAuditors(): string {
  const demo = JSON.parse(readFileSync(path.join(REPO_ROOT, 'infra', 'agencies.demo.json'), 'utf8')) as { agencies: unknown[] };
  const auditor = (id: string, name: string, kind: string, jurisdiction: string, key: string) => ({
    id,
    name,
    kind,
    jurisdiction,
    users: [{ userId: `auditor-${id}`, role: 'AUDITOR', apiKeySha256: hashApiKey(key) }],
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'atr-audit-agencies-')), 'agencies.json');
  const agencies = [
    ...demo.agencies,
    auditor('liuan-jco', '六安市反拐联席会议办公室', 'JOINT_CONFERENCE_OFFICE', '341500', OTHER_PROVINCE_AUDITOR),
    auditor('wenshanshi-procuratorate', '文山市人民检察院', 'PROCURATORATE', '532601', OTHER_COUNTY_AUDITOR),
  ];
  writeFileSync(file, JSON.stringify({ agencies }));
  return file;
}
