import type { ClueDetails, PersonDescription } from '@atr/contracts';

/**
 * Keys under which two clues are "the same": the content hash of online content, the child's
 * identity number, the birth certificate number, or the child's name with birth date. A school
 * report's student is the child of the clue.
 */
export function fingerprintsOf(input: { details: ClueDetails; child?: PersonDescription }): string[] {
  const prints = new Set<string>();
  const d = input.details;
  if (d.source === 'ONLINE_CONTENT') prints.add(`content:${d.contentHash}`);
  if (d.source === 'HOSPITAL' && d.birthCertificateNumber) prints.add(`birth-cert:${d.birthCertificateNumber}`);
  const children = [input.child, d.source === 'SCHOOL' ? d.student : undefined];
  for (const child of children) {
    if (!child) continue;
    if (child.idNumber) prints.add(`child-id:${child.idNumber}`);
    if (child.name && child.birthDate) prints.add(`child:${child.name}|${child.birthDate}`);
  }
  return [...prints];
}
