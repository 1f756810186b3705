import type Database from 'better-sqlite3';
import {
  AssessmentCompleted,
  AssessmentRequested,
  CaseClosed,
  CaseOpened,
  CaseSentForProsecution,
  CaseSolved,
  ClueLinkedAsDuplicate,
  ClueReferred,
  ClueSubmitted,
  ClueTriaged,
  FollowUpVisitRecorded,
  PlacementOpened,
  ReferralAccepted,
  ReferralAcknowledged,
  ReferralEscalated,
  ReferralRejected,
  ReintegrationReferred,
  ShelterAssigned,
  UnknownEventError,
  VictimReintegrated,
  VictimRescued,
  VictimReunified,
  type StoredEvent,
} from '@atr/contracts';
import type { Projection } from '@atr/platform';
import { factsOf, ms } from './event-facts';

export const REPORTS_PROJECTION = 'audit_reports';

// The facts of the oversight reports: one row per clue, referral, case, rescued victim,
// placement, assessment, reintegration referral and follow-up visit, each with its jurisdiction,
// the agencies involved and the instants (epoch ms) of its steps. The reports are SQL over these
// rows at query time; no total is kept here, so nothing needs re-deriving but the rows.
// Every event costs one statement on a primary key (an INSERT OR IGNORE or a guarded UPDATE).

const schema = [
  `CREATE TABLE IF NOT EXISTS audit_report_clues (
     clue_id TEXT PRIMARY KEY,
     division_code TEXT NOT NULL,        -- where it happened (location.divisionCode)
     source TEXT NOT NULL,               -- ClueSource (the submission API)
     source_kind TEXT NOT NULL,          -- the submitting agency's kind
     agency_id TEXT NOT NULL,
     agency_jurisdiction TEXT NOT NULL,
     submitted_ms INTEGER NOT NULL,
     category TEXT,
     priority TEXT,
     duplicate_of TEXT)`,
  'CREATE INDEX IF NOT EXISTS audit_report_clues_scope ON audit_report_clues (division_code, submitted_ms)',
  `CREATE TABLE IF NOT EXISTS audit_report_referrals (
     referral_id TEXT PRIMARY KEY,
     clue_id TEXT NOT NULL,
     jurisdiction TEXT NOT NULL,         -- the receiving police unit's (or queue's)
     police_agency_id TEXT,              -- the receiving unit; for a queue, the unit that first responded
     category TEXT NOT NULL,
     priority TEXT NOT NULL,
     referred_ms INTEGER NOT NULL,
     acknowledge_by_ms INTEGER NOT NULL,
     acknowledged_ms INTEGER,
     accepted_ms INTEGER,
     rejected_ms INTEGER,
     escalated_ms INTEGER,
     escalated_to_agency_id TEXT,
     escalated_to_jurisdiction TEXT)`,
  'CREATE INDEX IF NOT EXISTS audit_report_referrals_scope ON audit_report_referrals (jurisdiction, referred_ms)',
  `CREATE TABLE IF NOT EXISTS audit_report_cases (
     case_id TEXT PRIMARY KEY,
     category TEXT NOT NULL,
     child_case INTEGER NOT NULL,
     opened_agency_id TEXT NOT NULL,
     opened_jurisdiction TEXT NOT NULL,
     opened_ms INTEGER NOT NULL,
     solved_ms INTEGER,
     solved_agency_id TEXT,
     solved_jurisdiction TEXT,
     closed_ms INTEGER,
     closed_agency_id TEXT,
     closed_jurisdiction TEXT,
     prosecuted_ms INTEGER,
     prosecuted_by_agency_id TEXT,
     prosecuted_by_jurisdiction TEXT,
     procuratorate_agency_id TEXT,
     procuratorate_jurisdiction TEXT)`,
  'CREATE INDEX IF NOT EXISTS audit_report_cases_scope ON audit_report_cases (opened_jurisdiction, opened_ms)',
  `CREATE TABLE IF NOT EXISTS audit_report_victims (
     victim_id TEXT PRIMARY KEY,
     case_id TEXT NOT NULL,
     child INTEGER NOT NULL,
     agency_id TEXT NOT NULL,            -- the rescuing police unit
     jurisdiction TEXT NOT NULL,
     rescued_ms INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS audit_report_placements (
     placement_id TEXT PRIMARY KEY,
     victim_id TEXT NOT NULL,
     agency_id TEXT,                     -- civil affairs receiving the victim; for a queue, the agency that acted first
     jurisdiction TEXT NOT NULL,
     opened_ms INTEGER NOT NULL,
     placed_ms INTEGER,
     reunified_ms INTEGER,
     reintegrated_ms INTEGER)`,
  'CREATE INDEX IF NOT EXISTS audit_report_placements_victim ON audit_report_placements (victim_id)',
  `CREATE TABLE IF NOT EXISTS audit_report_assessments (
     assessment_id TEXT PRIMARY KEY,
     placement_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     requested_by_agency_id TEXT NOT NULL,
     requested_by_jurisdiction TEXT NOT NULL,
     assessor_agency_id TEXT,
     assessor_jurisdiction TEXT NOT NULL,
     requested_ms INTEGER NOT NULL,
     completed_ms INTEGER)`,
  `CREATE TABLE IF NOT EXISTS audit_report_services (
     position INTEGER PRIMARY KEY,       -- the ReintegrationReferred event's global position
     placement_id TEXT NOT NULL,
     service TEXT NOT NULL,
     from_agency_id TEXT NOT NULL,
     from_jurisdiction TEXT NOT NULL,
     to_agency_id TEXT,
     to_jurisdiction TEXT NOT NULL,
     referred_ms INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS audit_report_visits (
     position INTEGER PRIMARY KEY,       -- the FollowUpVisitRecorded event's global position
     placement_id TEXT NOT NULL,
     agency_id TEXT NOT NULL,
     jurisdiction TEXT NOT NULL,
     visited_ms INTEGER NOT NULL)`,
];

const read = {
  submitted: factsOf(ClueSubmitted, { clueId: true, source: true, submittedBy: true, location: true }),
  triaged: factsOf(ClueTriaged, { clueId: true, category: true, priority: true }),
  duplicate: factsOf(ClueLinkedAsDuplicate, { clueId: true, duplicateOf: true }),
  referred: factsOf(ClueReferred, { clueId: true, referralId: true, handoff: true, category: true, priority: true, acknowledgeBy: true }),
  acknowledged: factsOf(ReferralAcknowledged, { referralId: true }),
  accepted: factsOf(ReferralAccepted, { referralId: true }),
  rejected: factsOf(ReferralRejected, { referralId: true }),
  escalated: factsOf(ReferralEscalated, { referralId: true, handoff: true }),
  opened: factsOf(CaseOpened, { caseId: true, category: true, childCase: true, jurisdiction: true, agencyId: true }),
  solved: factsOf(CaseSolved, { caseId: true }),
  closed: factsOf(CaseClosed, { caseId: true }),
  prosecuted: factsOf(CaseSentForProsecution, { caseId: true, handoff: true }),
  rescued: factsOf(VictimRescued, { caseId: true, victim: true, rescuedAt: true }),
  placement: factsOf(PlacementOpened, { placementId: true, handoff: true, victim: true }),
  sheltered: factsOf(ShelterAssigned, { placementId: true, since: true }),
  reunified: factsOf(VictimReunified, { placementId: true }),
  reintegrated: factsOf(VictimReintegrated, { placementId: true }),
  assessment: factsOf(AssessmentRequested, { assessmentId: true, placementId: true, kind: true, handoff: true }),
  assessed: factsOf(AssessmentCompleted, { assessmentId: true }),
  service: factsOf(ReintegrationReferred, { placementId: true, service: true, handoff: true }),
  visit: factsOf(FollowUpVisitRecorded, { placementId: true, visitedAt: true }),
};

type Db = Database.Database;
type Apply = (db: Db, event: StoredEvent) => void;

/** The one statement each event type runs. */
const handlers: Record<string, Apply> = {
  [ClueSubmitted.type](db, e) {
    const p = read.submitted(e);
    db.prepare(
      `INSERT OR IGNORE INTO audit_report_clues (clue_id, division_code, source, source_kind, agency_id, agency_jurisdiction, submitted_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.clueId, p.location.divisionCode, p.source, p.submittedBy.agencyKind, p.submittedBy.agencyId, p.submittedBy.jurisdiction, ms(e.occurredAt));
  },
  [ClueTriaged.type](db, e) {
    const p = read.triaged(e);
    db.prepare('UPDATE audit_report_clues SET category = ?, priority = ? WHERE clue_id = ?').run(p.category, p.priority, p.clueId);
  },
  [ClueLinkedAsDuplicate.type](db, e) {
    const p = read.duplicate(e);
    db.prepare('UPDATE audit_report_clues SET duplicate_of = ? WHERE clue_id = ?').run(p.duplicateOf, p.clueId);
  },
  [ClueReferred.type](db, e) {
    const p = read.referred(e);
    db.prepare(
      `INSERT OR IGNORE INTO audit_report_referrals (referral_id, clue_id, jurisdiction, police_agency_id, category, priority, referred_ms, acknowledge_by_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.referralId, p.clueId, p.handoff.to.jurisdiction, p.handoff.to.agencyId, p.category, p.priority, ms(e.occurredAt), ms(p.acknowledgeBy));
  },
  // Police responses: the first of each counts; a queue's referral is credited to the unit that responded.
  [ReferralAcknowledged.type](db, e) {
    const { referralId } = read.acknowledged(e);
    db.prepare(
      'UPDATE audit_report_referrals SET acknowledged_ms = ?, police_agency_id = COALESCE(police_agency_id, ?) WHERE referral_id = ? AND acknowledged_ms IS NULL',
    ).run(ms(e.occurredAt), e.actor.agencyId, referralId);
  },
  [ReferralAccepted.type](db, e) {
    const { referralId } = read.accepted(e);
    db.prepare(
      'UPDATE audit_report_referrals SET accepted_ms = ?, police_agency_id = COALESCE(police_agency_id, ?) WHERE referral_id = ? AND accepted_ms IS NULL',
    ).run(ms(e.occurredAt), e.actor.agencyId, referralId);
  },
  [ReferralRejected.type](db, e) {
    const { referralId } = read.rejected(e);
    db.prepare(
      'UPDATE audit_report_referrals SET rejected_ms = ?, police_agency_id = COALESCE(police_agency_id, ?) WHERE referral_id = ? AND rejected_ms IS NULL',
    ).run(ms(e.occurredAt), e.actor.agencyId, referralId);
  },
  [ReferralEscalated.type](db, e) {
    const p = read.escalated(e);
    db.prepare(
      `UPDATE audit_report_referrals SET escalated_ms = ?, escalated_to_agency_id = ?, escalated_to_jurisdiction = ?
       WHERE referral_id = ? AND escalated_ms IS NULL`,
    ).run(ms(e.occurredAt), p.handoff.to.agencyId, p.handoff.to.jurisdiction, p.referralId);
  },
  [CaseOpened.type](db, e) {
    const p = read.opened(e);
    db.prepare(
      `INSERT OR IGNORE INTO audit_report_cases (case_id, category, child_case, opened_agency_id, opened_jurisdiction, opened_ms)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(p.caseId, p.category, p.childCase ? 1 : 0, p.agencyId, p.jurisdiction, ms(e.occurredAt));
  },
  [CaseSolved.type](db, e) {
    const { caseId } = read.solved(e);
    db.prepare('UPDATE audit_report_cases SET solved_ms = ?, solved_agency_id = ?, solved_jurisdiction = ? WHERE case_id = ? AND solved_ms IS NULL').run(
      ms(e.occurredAt),
      e.actor.agencyId,
      e.actor.jurisdiction,
      caseId,
    );
  },
  [CaseClosed.type](db, e) {
    const { caseId } = read.closed(e);
    db.prepare('UPDATE audit_report_cases SET closed_ms = ?, closed_agency_id = ?, closed_jurisdiction = ? WHERE case_id = ? AND closed_ms IS NULL').run(
      ms(e.occurredAt),
      e.actor.agencyId,
      e.actor.jurisdiction,
      caseId,
    );
  },
  [CaseSentForProsecution.type](db, e) {
    const { caseId, handoff } = read.prosecuted(e);
    db.prepare(
      `UPDATE audit_report_cases SET prosecuted_ms = ?, prosecuted_by_agency_id = ?, prosecuted_by_jurisdiction = ?, procuratorate_agency_id = ?, procuratorate_jurisdiction = ?
       WHERE case_id = ? AND prosecuted_ms IS NULL`,
    ).run(ms(e.occurredAt), e.actor.agencyId, e.actor.jurisdiction, handoff.to.agencyId, handoff.to.jurisdiction, caseId);
  },
  [VictimRescued.type](db, e) {
    const p = read.rescued(e);
    db.prepare('INSERT OR IGNORE INTO audit_report_victims (victim_id, case_id, child, agency_id, jurisdiction, rescued_ms) VALUES (?, ?, ?, ?, ?, ?)').run(
      p.victim.victimId,
      p.caseId,
      p.victim.isChild ? 1 : 0,
      e.actor.agencyId,
      e.actor.jurisdiction,
      ms(p.rescuedAt),
    );
  },
  [PlacementOpened.type](db, e) {
    const p = read.placement(e);
    db.prepare('INSERT OR IGNORE INTO audit_report_placements (placement_id, victim_id, agency_id, jurisdiction, opened_ms) VALUES (?, ?, ?, ?, ?)').run(
      p.placementId,
      p.victim.victimId,
      p.handoff.to.agencyId,
      p.handoff.to.jurisdiction,
      ms(e.occurredAt),
    );
  },
  [ShelterAssigned.type](db, e) {
    const p = read.sheltered(e);
    db.prepare(
      'UPDATE audit_report_placements SET placed_ms = ?, agency_id = COALESCE(agency_id, ?) WHERE placement_id = ? AND placed_ms IS NULL',
    ).run(ms(p.since), e.actor.agencyId, p.placementId);
  },
  [VictimReunified.type](db, e) {
    const { placementId } = read.reunified(e);
    db.prepare(
      'UPDATE audit_report_placements SET reunified_ms = ?, agency_id = COALESCE(agency_id, ?) WHERE placement_id = ? AND reunified_ms IS NULL',
    ).run(ms(e.occurredAt), e.actor.agencyId, placementId);
  },
  [VictimReintegrated.type](db, e) {
    const { placementId } = read.reintegrated(e);
    db.prepare(
      'UPDATE audit_report_placements SET reintegrated_ms = ?, agency_id = COALESCE(agency_id, ?) WHERE placement_id = ? AND reintegrated_ms IS NULL',
    ).run(ms(e.occurredAt), e.actor.agencyId, placementId);
  },
  [AssessmentRequested.type](db, e) {
    const p = read.assessment(e);
    db.prepare(
      `INSERT OR IGNORE INTO audit_report_assessments
         (assessment_id, placement_id, kind, requested_by_agency_id, requested_by_jurisdiction, assessor_agency_id, assessor_jurisdiction, requested_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.assessmentId, p.placementId, p.kind, e.actor.agencyId, e.actor.jurisdiction, p.handoff.to.agencyId, p.handoff.to.jurisdiction, ms(e.occurredAt));
  },
  [AssessmentCompleted.type](db, e) {
    const { assessmentId } = read.assessed(e);
    db.prepare(
      'UPDATE audit_report_assessments SET completed_ms = ?, assessor_agency_id = COALESCE(assessor_agency_id, ?) WHERE assessment_id = ? AND completed_ms IS NULL',
    ).run(ms(e.occurredAt), e.actor.agencyId, assessmentId);
  },
  [ReintegrationReferred.type](db, e) {
    const p = read.service(e);
    db.prepare(
      `INSERT OR IGNORE INTO audit_report_services (position, placement_id, service, from_agency_id, from_jurisdiction, to_agency_id, to_jurisdiction, referred_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(e.globalPosition, p.placementId, p.service, e.actor.agencyId, e.actor.jurisdiction, p.handoff.to.agencyId, p.handoff.to.jurisdiction, ms(e.occurredAt));
  },
  [FollowUpVisitRecorded.type](db, e) {
    const p = read.visit(e);
    db.prepare('INSERT OR IGNORE INTO audit_report_visits (position, placement_id, agency_id, jurisdiction, visited_ms) VALUES (?, ?, ?, ?, ?)').run(
      e.globalPosition,
      p.placementId,
      e.actor.agencyId,
      e.actor.jurisdiction,
      ms(p.visitedAt),
    );
  },
};

/**
 * The facts behind GET /audit/reports/…, rebuilt from position 0 by POST /audit/replays.
 *
 * An event the code can no longer read (unknown version, invalid payload) is skipped, live and in
 * replay alike, so both give the same rows; the replay endpoint lists such events
 * (`unreadableEvents`) for the auditor. Throwing instead would dead-letter it live but abort the
 * whole replay.
 */
export const reportsProjection: Projection = {
  name: REPORTS_PROJECTION,
  origin: { module: __filename, exportName: 'reportsProjection' },
  types: Object.keys(handlers),
  schema,
  tables: {
    audit_report_clues: 'clue_id',
    audit_report_referrals: 'referral_id',
    audit_report_cases: 'case_id',
    audit_report_victims: 'victim_id',
    audit_report_placements: 'placement_id',
    audit_report_assessments: 'assessment_id',
    audit_report_services: 'position',
    audit_report_visits: 'position',
  },
  apply(db, event) {
    const handle = handlers[event.type];
    if (!handle) return;
    try {
      handle(db, event);
    } catch (error) {
      if (error instanceof UnknownEventError) return;
      throw error;
    }
  },
};
