import type { ClueDetails } from '@atr/contracts';
import { fingerprintsOf } from './fingerprints';

const HASH = 'sha256:' + 'b'.repeat(64);

describe('fingerprints', () => {
  it('takes the content hash of online content', () => {
    const details = { source: 'ONLINE_CONTENT', platform: 'p', account: 'a', url: 'https://e.com', contentHash: HASH, contentKind: 'OTHER', attachments: [] } satisfies ClueDetails;
    expect(fingerprintsOf({ details })).toEqual([`content:${HASH}`]);
  });

  it('takes the birth certificate number of a hospital report', () => {
    const details = { source: 'HOSPITAL', hospitalName: 'h', anomaly: 'BIRTH_CERTIFICATE_ANOMALY', identityCheckResult: 'MATCH', birthCertificateNumber: 'O530012345' } as const;
    expect(fingerprintsOf({ details })).toEqual(['birth-cert:O530012345']);
  });

  it("takes the child's identity number, and name with birth date only when both are given", () => {
    const details = { source: 'PUBLIC_TIP', channel: 'WEB', tipster: { anonymous: true }, wantsReward: false } as const;
    expect(fingerprintsOf({ details, child: { idNumber: '532622201605010012', name: '小明', birthDate: '2016-05-01' } })).toEqual([
      'child-id:532622201605010012',
      'child:小明|2016-05-01',
    ]);
    expect(fingerprintsOf({ details, child: { name: '小明' } })).toEqual([]);
  });

  it("treats a school report's student as the child, without repeating a print", () => {
    const student = { name: '小明', birthDate: '2016-05-01' };
    const details = { source: 'SCHOOL', schoolName: 's', reason: 'UNKNOWN_ORIGIN', student } as const;
    expect(fingerprintsOf({ details, child: student })).toEqual(['child:小明|2016-05-01']);
  });
});
