import {
  AssessmentRequested,
  AssessmentResultReceived,
  FamilyFound,
  FamilySearchStarted,
  FollowUpVisitRecorded,
  HouseholdRegistrationApplied,
  PlacementOpened,
  ReintegrationReferred,
  ShelterAssigned,
  VictimReintegrated,
  VictimReunified,
  readEvent,
  type PlacementStatus,
} from '@atr/contracts';
import type { Projection } from '@atr/platform';
import { advanceStatus } from './placement.state';

/** One row per victim file, for the social workers' list (GET /placements). */
export const placementFilesProjection: Projection = {
  name: 'placement_files',
  origin: { module: __filename, exportName: 'placementFilesProjection' },
  types: [
    PlacementOpened.type,
    ShelterAssigned.type,
    FamilySearchStarted.type,
    FamilyFound.type,
    VictimReunified.type,
    HouseholdRegistrationApplied.type,
    AssessmentRequested.type,
    AssessmentResultReceived.type,
    ReintegrationReferred.type,
    FollowUpVisitRecorded.type,
    VictimReintegrated.type,
  ],
  schema: [
    `CREATE TABLE IF NOT EXISTS placement_files (
      placement_id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL,
      status TEXT NOT NULL,
      jurisdiction TEXT NOT NULL,
      civil_affairs_agency_id TEXT,
      victim_name TEXT,
      victim_is_child INTEGER NOT NULL,
      victim_age_years INTEGER,
      shelter_name TEXT,
      opened_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS placement_files_by_jurisdiction ON placement_files (jurisdiction, status, opened_at)',
  ],
  tables: { placement_files: 'placement_id' },
  apply(db, event) {
    if (event.type === PlacementOpened.type) {
      const { payload: p } = readEvent(PlacementOpened, event);
      db.prepare(
        `INSERT OR IGNORE INTO placement_files VALUES (@id, @caseId, 'OPEN', @jurisdiction, @agencyId, @name, @isChild, @age, NULL, @at, @at)`,
      ).run({
        id: p.placementId,
        caseId: p.caseId,
        jurisdiction: p.handoff.to.jurisdiction,
        agencyId: p.handoff.to.agencyId,
        name: p.victim.name ?? null,
        isChild: p.victim.isChild ? 1 : 0,
        age: p.victim.ageYears ?? null,
        at: event.occurredAt,
      });
      return;
    }
    const placementId = String(event.payload.placementId);
    const row = db.prepare('SELECT status FROM placement_files WHERE placement_id = ?').get(placementId) as { status: PlacementStatus } | undefined;
    if (!row) return;
    const shelterName = event.type === ShelterAssigned.type ? readEvent(ShelterAssigned, event).payload.shelterName : null;
    db.prepare(
      'UPDATE placement_files SET status = ?, updated_at = ?, shelter_name = COALESCE(?, shelter_name) WHERE placement_id = ?',
    ).run(advanceStatus(row.status, event.type) ?? row.status, event.occurredAt, shelterName, placementId);
  },
};
