import type { ClueCategory, ClueDetails, PersonDescription, Priority } from '@atr/contracts';
import { fingerprintsOf } from './fingerprints';

/** What triage looks at: the facts of a submission, never who sent it. */
export interface TriageInput {
  details: ClueDetails;
  child?: PersonDescription;
  childMissing: boolean;
  childInDanger: boolean;
}

/** Minutes police have to acknowledge, per priority (ACK_DEADLINE_*_MINUTES). */
export type AckDeadlines = Record<Priority, number>;

export interface Triage {
  category: ClueCategory;
  priority: Priority;
  /** Human-readable: why this category and priority (shown to police in the hand-off reason). */
  reasons: string[];
  acknowledgeWithinMinutes: number;
  fingerprints: string[];
}

export function deadlinesFrom(config: {
  ACK_DEADLINE_URGENT_MINUTES: number;
  ACK_DEADLINE_HIGH_MINUTES: number;
  ACK_DEADLINE_NORMAL_MINUTES: number;
}): AckDeadlines {
  return { URGENT: config.ACK_DEADLINE_URGENT_MINUTES, HIGH: config.ACK_DEADLINE_HIGH_MINUTES, NORMAL: config.ACK_DEADLINE_NORMAL_MINUTES };
}

/**
 * Category table (source field → category); "child involved" means a `child` is described,
 * or the child is missing or in danger:
 *
 * | source             | field value                     | category                                                |
 * |--------------------|---------------------------------|---------------------------------------------------------|
 * | ONLINE_CONTENT     | TRAFFICKING_AD                  | CHILD_TRAFFICKING if child involved, else WOMAN_TRAFFICKING |
 * |                    | ILLEGAL_ADOPTION                | ILLEGAL_ADOPTION                                        |
 * |                    | SURROGACY_AD                    | SURROGACY                                               |
 * |                    | CHILD_SEXUAL_CONTENT            | SEXUAL_EXPLOITATION                                     |
 * |                    | OTHER                           | OTHER                                                   |
 * | HOSPITAL           | DELIVERY_UNDER_ANOTHER_NAME     | CHILD_TRAFFICKING if identity MISMATCH/REFUSED or the child is missing/in danger (the newborn is to be handed over), else BIRTH_CERTIFICATE_FRAUD |
 * |                    | BIRTH_CERTIFICATE_ANOMALY       | CHILD_TRAFFICKING if the child is missing/in danger, else BIRTH_CERTIFICATE_FRAUD |
 * |                    | SUSPECTED_VICTIM                | CHILD_TRAFFICKING if child involved, else WOMAN_TRAFFICKING |
 * | SCHOOL             | any reason (the student is a child) | CHILD_TRAFFICKING                                   |
 * | CIVIL_REGISTRATION | MARRIAGE                        | WOMAN_TRAFFICKING if a party has no identity number (cannot be identified, as with brides brought across the border), else SUSPICIOUS_MARRIAGE |
 * |                    | ADOPTION                        | CHILD_TRAFFICKING if the child is missing/in danger, else ILLEGAL_ADOPTION |
 * | PUBLIC_TIP         | —                               | CHILD_TRAFFICKING if child involved, else OTHER (police categorise further) |
 *
 * Priority: URGENT when a child is missing or in danger; HIGH when a child is involved (a school
 * student, a described child, a child category) or the content is CHILD_SEXUAL_CONTENT; else NORMAL.
 */
export function triage(input: TriageInput, deadlines: AckDeadlines): Triage {
  const { category, why } = categorise(input);
  const { priority, reasons } = prioritise(input, category);
  return {
    category,
    priority,
    reasons: [...reasons, why],
    acknowledgeWithinMinutes: deadlines[priority],
    fingerprints: fingerprintsOf(input),
  };
}

const childAtRisk = (i: TriageInput) => i.childMissing || i.childInDanger;
const childInvolved = (i: TriageInput) => childAtRisk(i) || i.child !== undefined;

function categorise(input: TriageInput): { category: ClueCategory; why: string } {
  const d = input.details;
  switch (d.source) {
    case 'ONLINE_CONTENT': {
      const byKind: Record<typeof d.contentKind, ClueCategory> = {
        TRAFFICKING_AD: childInvolved(input) ? 'CHILD_TRAFFICKING' : 'WOMAN_TRAFFICKING',
        ILLEGAL_ADOPTION: 'ILLEGAL_ADOPTION',
        SURROGACY_AD: 'SURROGACY',
        CHILD_SEXUAL_CONTENT: 'SEXUAL_EXPLOITATION',
        OTHER: 'OTHER',
      };
      return { category: byKind[d.contentKind], why: `online content of kind ${d.contentKind}` };
    }
    case 'HOSPITAL': {
      const why = `hospital anomaly ${d.anomaly} (identity check ${d.identityCheckResult})`;
      if (d.anomaly === 'SUSPECTED_VICTIM') return { category: childInvolved(input) ? 'CHILD_TRAFFICKING' : 'WOMAN_TRAFFICKING', why };
      const identityFailed = d.identityCheckResult === 'MISMATCH' || d.identityCheckResult === 'REFUSED';
      const trafficking = childAtRisk(input) || (d.anomaly === 'DELIVERY_UNDER_ANOTHER_NAME' && identityFailed);
      return { category: trafficking ? 'CHILD_TRAFFICKING' : 'BIRTH_CERTIFICATE_FRAUD', why };
    }
    case 'SCHOOL':
      return { category: 'CHILD_TRAFFICKING', why: `school mandatory report: ${d.reason}` };
    case 'CIVIL_REGISTRATION': {
      if (d.registry === 'ADOPTION') {
        return { category: childAtRisk(input) ? 'CHILD_TRAFFICKING' : 'ILLEGAL_ADOPTION', why: 'adoption registry anomaly' };
      }
      const unidentified = d.parties.some((p) => p.idNumber === undefined);
      return unidentified
        ? { category: 'WOMAN_TRAFFICKING', why: 'marriage registration with a party who cannot be identified' }
        : { category: 'SUSPICIOUS_MARRIAGE', why: 'marriage registry anomaly' };
    }
    case 'PUBLIC_TIP':
      return { category: childInvolved(input) ? 'CHILD_TRAFFICKING' : 'OTHER', why: `public tip via ${d.channel}` };
  }
}

function prioritise(input: TriageInput, category: ClueCategory): { priority: Priority; reasons: string[] } {
  const urgent = [input.childMissing && 'child missing', input.childInDanger && 'child in danger'].filter((r): r is string => !!r);
  if (urgent.length > 0) return { priority: 'URGENT', reasons: urgent };
  const d = input.details;
  if (d.source === 'ONLINE_CONTENT' && d.contentKind === 'CHILD_SEXUAL_CONTENT') return { priority: 'HIGH', reasons: ['child sexual content'] };
  const childCategory = category === 'CHILD_TRAFFICKING' || category === 'ILLEGAL_ADOPTION';
  if (input.child !== undefined || d.source === 'SCHOOL' || childCategory) return { priority: 'HIGH', reasons: ['a child is involved'] };
  return { priority: 'NORMAL', reasons: [] };
}
