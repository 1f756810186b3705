import type { ClueDetails } from '@atr/contracts';
import { DEADLINES } from '../testing/fixtures';
import { deadlinesFrom, triage, type TriageInput } from './triage';

const HASH = 'sha256:' + 'a'.repeat(64);
const online = (contentKind: Extract<ClueDetails, { source: 'ONLINE_CONTENT' }>['contentKind']): ClueDetails => ({
  source: 'ONLINE_CONTENT',
  platform: '某短视频平台',
  account: 'seller01',
  url: 'https://example.com/p/1',
  contentHash: HASH,
  contentKind,
  attachments: [],
});
const hospital = (
  anomaly: Extract<ClueDetails, { source: 'HOSPITAL' }>['anomaly'],
  identityCheckResult: Extract<ClueDetails, { source: 'HOSPITAL' }>['identityCheckResult'] = 'MISMATCH',
): ClueDetails => ({ source: 'HOSPITAL', hospitalName: '砚山县人民医院', anomaly, identityCheckResult });
const schoolReport: ClueDetails = { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } };
const marriage = (withId: boolean): ClueDetails => ({
  source: 'CIVIL_REGISTRATION',
  registry: 'MARRIAGE',
  anomaly: '女方不会说汉语，无身份证件',
  parties: [{ name: '张某', idNumber: '53262219800101001X' }, withId ? { name: '阮氏', idNumber: '532622199901010022' } : { name: '阮氏' }],
});
const adoption: ClueDetails = { source: 'CIVIL_REGISTRATION', registry: 'ADOPTION', anomaly: '收养人无法说明孩子来源', parties: [] };
const tip: ClueDetails = { source: 'PUBLIC_TIP', channel: 'HOTLINE', tipster: { anonymous: true }, wantsReward: false };

const input = (details: ClueDetails, extra: Partial<TriageInput> = {}): TriageInput => ({ details, childMissing: false, childInDanger: false, ...extra });
const child = { name: '小红', birthDate: '2020-02-02' };

describe('triage', () => {
  it.each([
    ['online SURROGACY_AD', input(online('SURROGACY_AD')), 'SURROGACY', 'NORMAL'],
    ['online ILLEGAL_ADOPTION', input(online('ILLEGAL_ADOPTION')), 'ILLEGAL_ADOPTION', 'HIGH'],
    ['online CHILD_SEXUAL_CONTENT', input(online('CHILD_SEXUAL_CONTENT')), 'SEXUAL_EXPLOITATION', 'HIGH'],
    ['online TRAFFICKING_AD without a child', input(online('TRAFFICKING_AD')), 'WOMAN_TRAFFICKING', 'NORMAL'],
    ['online TRAFFICKING_AD with a child', input(online('TRAFFICKING_AD'), { child }), 'CHILD_TRAFFICKING', 'HIGH'],
    ['online OTHER', input(online('OTHER')), 'OTHER', 'NORMAL'],
    ['hospital delivery under another name, identity mismatch', input(hospital('DELIVERY_UNDER_ANOTHER_NAME', 'MISMATCH')), 'CHILD_TRAFFICKING', 'HIGH'],
    ['hospital delivery under another name, not checked', input(hospital('DELIVERY_UNDER_ANOTHER_NAME', 'NOT_CHECKED')), 'BIRTH_CERTIFICATE_FRAUD', 'NORMAL'],
    ['hospital birth certificate anomaly', input(hospital('BIRTH_CERTIFICATE_ANOMALY')), 'BIRTH_CERTIFICATE_FRAUD', 'NORMAL'],
    ['hospital birth certificate anomaly, child missing', input(hospital('BIRTH_CERTIFICATE_ANOMALY'), { childMissing: true }), 'CHILD_TRAFFICKING', 'URGENT'],
    ['hospital suspected victim (a woman)', input(hospital('SUSPECTED_VICTIM')), 'WOMAN_TRAFFICKING', 'NORMAL'],
    ['hospital suspected victim (a child)', input(hospital('SUSPECTED_VICTIM'), { child }), 'CHILD_TRAFFICKING', 'HIGH'],
    ['school dropout', input(schoolReport), 'CHILD_TRAFFICKING', 'HIGH'],
    ['marriage with an unidentified party', input(marriage(false)), 'WOMAN_TRAFFICKING', 'NORMAL'],
    ['marriage with identified parties', input(marriage(true)), 'SUSPICIOUS_MARRIAGE', 'NORMAL'],
    ['adoption', input(adoption), 'ILLEGAL_ADOPTION', 'HIGH'],
    ['adoption of a child in danger', input(adoption, { childInDanger: true }), 'CHILD_TRAFFICKING', 'URGENT'],
    ['public tip without a child', input(tip), 'OTHER', 'NORMAL'],
    ['public tip about a missing child', input(tip, { childMissing: true }), 'CHILD_TRAFFICKING', 'URGENT'],
  ])('%s → %s, %s', (_name, given, category, priority) => {
    const result = triage(given, DEADLINES);
    expect(result.category).toBe(category);
    expect(result.priority).toBe(priority);
    expect(result.acknowledgeWithinMinutes).toBe(DEADLINES[result.priority]);
  });

  it('makes a missing or endangered child URGENT, whatever the source, and says why', () => {
    const result = triage(input(online('SURROGACY_AD'), { childMissing: true, childInDanger: true }), DEADLINES);
    expect(result.priority).toBe('URGENT');
    expect(result.reasons).toEqual(['child missing', 'child in danger', 'online content of kind SURROGACY_AD']);
  });

  it('gives a human-readable reason for every decision', () => {
    expect(triage(input(schoolReport), DEADLINES).reasons).toEqual(['a child is involved', 'school mandatory report: UNEXPLAINED_DROPOUT']);
    expect(triage(input(online('OTHER')), DEADLINES).reasons).toEqual(['online content of kind OTHER']);
  });

  it('takes the deadlines from configuration', () => {
    const deadlines = deadlinesFrom({ ACK_DEADLINE_URGENT_MINUTES: 5, ACK_DEADLINE_HIGH_MINUTES: 60, ACK_DEADLINE_NORMAL_MINUTES: 600 });
    expect(triage(input(tip, { childInDanger: true }), deadlines).acknowledgeWithinMinutes).toBe(5);
    expect(triage(input(schoolReport), deadlines).acknowledgeWithinMinutes).toBe(60);
    expect(triage(input(tip), deadlines).acknowledgeWithinMinutes).toBe(600);
  });
});
