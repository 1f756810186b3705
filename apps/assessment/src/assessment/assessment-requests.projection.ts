import { AssessmentCompleted, AssessmentOpened, AssessmentScheduled, readEvent } from '@atr/contracts';
import type { Projection } from '@atr/platform';

/** One row per assessment, for the assessing agency's worklist (GET /assessments). */
export const assessmentRequestsProjection: Projection = {
  name: 'assessment_requests',
  origin: { module: __filename, exportName: 'assessmentRequestsProjection' },
  types: [AssessmentOpened.type, AssessmentScheduled.type, AssessmentCompleted.type],
  schema: [
    `CREATE TABLE IF NOT EXISTS assessment_requests (
      assessment_id TEXT PRIMARY KEY,
      placement_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      status TEXT NOT NULL,
      agency_id TEXT,
      requested_at TEXT NOT NULL,
      scheduled_for TEXT,
      completed_at TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS assessment_requests_by_agency ON assessment_requests (agency_id, status, requested_at)',
  ],
  tables: { assessment_requests: 'assessment_id' },
  apply(db, event) {
    switch (event.type) {
      case AssessmentOpened.type: {
        const { payload: p } = readEvent(AssessmentOpened, event);
        db.prepare(`INSERT OR IGNORE INTO assessment_requests VALUES (?, ?, ?, 'REQUESTED', ?, ?, NULL, NULL)`).run(
          p.assessmentId,
          p.placementId,
          p.kind,
          p.handoff.to.agencyId,
          event.occurredAt,
        );
        return;
      }
      case AssessmentScheduled.type: {
        const { payload: p } = readEvent(AssessmentScheduled, event);
        db.prepare(`UPDATE assessment_requests SET status = 'SCHEDULED', scheduled_for = ? WHERE assessment_id = ? AND status != 'COMPLETED'`).run(
          p.scheduledFor,
          p.assessmentId,
        );
        return;
      }
      case AssessmentCompleted.type: {
        const { payload: p } = readEvent(AssessmentCompleted, event);
        db.prepare(`UPDATE assessment_requests SET status = 'COMPLETED', completed_at = ? WHERE assessment_id = ?`).run(event.occurredAt, p.assessmentId);
        return;
      }
    }
  },
};
