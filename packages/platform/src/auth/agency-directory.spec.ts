import * as path from 'node:path';
import { AgencyDirectory, hashApiKey } from './agency-directory';
import { REPO_ROOT } from '../config/config';

const directory = AgencyDirectory.fromFile(path.join(REPO_ROOT, 'infra', 'agencies.demo.json'));

describe('AgencyDirectory', () => {
  it('binds a demo key to agency, kind, jurisdiction, user and role', () => {
    expect(directory.authenticate('demo-yanshan-police-officer')).toEqual({
      agencyId: 'yanshan-police',
      agencyKind: 'PUBLIC_SECURITY',
      jurisdiction: '532622',
      userId: 'officer-li',
      role: 'OFFICER',
    });
    expect(directory.authenticate('demo-yanshan-police-officer ')).toBeUndefined();
  });

  it('finds the closest agency of a kind: the county unit, else the city level', () => {
    expect(directory.closest('PUBLIC_SECURITY', '532622')?.id).toBe('yanshan-police');
    expect(directory.closest('PUBLIC_SECURITY', '532626')?.id).toBe('wenshan-prefecture-police');
    expect(directory.closest('PUBLIC_SECURITY', '341502')).toBeUndefined();
  });

  it('stores only hashes and refuses a key used twice', () => {
    const user = { userId: 'u', role: 'REPORTER' as const, apiKeySha256: hashApiKey('same') };
    expect(() => new AgencyDirectory([
      { id: 'a', name: 'A', kind: 'PUBLIC', jurisdiction: '532622', users: [user] },
      { id: 'b', name: 'B', kind: 'PUBLIC', jurisdiction: '532622', users: [user] },
    ])).toThrow(/used twice/);
  });

  it('names the bad field of a broken agencies file', () => {
    const fs = require('node:fs');
    const os = require('node:os');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agencies-')), 'a.json');
    fs.writeFileSync(file, JSON.stringify({ agencies: [{ id: 'x', name: 'X', kind: 'POLICE', jurisdiction: '5326' }] }));
    expect(() => AgencyDirectory.fromFile(file)).toThrow(/agencies\.0\.kind[\s\S]*agencies\.0\.jurisdiction/);
  });
});
