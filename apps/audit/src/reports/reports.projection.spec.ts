import Database from 'better-sqlite3';
import { newId, type Actor, type StoredEvent } from '@atr/contracts';
import { reportsProjection } from './reports.projection';

const school: Actor = { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622', userId: 'clerk-yang', role: 'REPORTER' };
const cityOfficer: Actor = { agencyId: 'wenshan-prefecture-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600', userId: 'officer-zhou', role: 'OFFICER' };

let position = 0;
function stored(type: string, payload: Record<string, unknown>, actor: Actor, at: string, schemaVersion = 1): StoredEvent {
  position++;
  return { eventId: newId(), type, schemaVersion, occurredAt: at, recordedAt: at, actor, correlationId: 'c', causationId: 'c', streamId: `x-${position}`, streamRevision: 0, globalPosition: position, payload };
}

describe('reportsProjection', () => {
  let db: Database.Database;
  const apply = (e: StoredEvent) => reportsProjection.apply(db, e);

  beforeEach(() => {
    db = new Database(':memory:');
    for (const statement of reportsProjection.schema) db.exec(statement);
  });
  afterEach(() => db.close());

  const clueId = newId();
  const submittedV1 = () =>
    stored(
      'ClueSubmitted',
      {
        clueId,
        source: 'SCHOOL',
        submittedBy: { agencyId: school.agencyId, agencyKind: 'EDUCATION', jurisdiction: '532622' },
        idempotencyKey: 'k',
        requestHash: 'h',
        divisionCode: '532626',
        summary: '学生失学',
        childMissing: true,
        childInDanger: false,
        details: { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } },
      },
      school,
      '2026-03-03T03:00:00.000Z',
    );

  it('registers only the event types it reads, and names a stable order for every table', () => {
    expect(reportsProjection.types).toHaveLength(21);
    expect(reportsProjection.types).not.toContain('ReferralReceived');
    for (const table of Object.keys(reportsProjection.tables)) expect(reportsProjection.schema.join('\n')).toContain(`CREATE TABLE IF NOT EXISTS ${table} `);
  });

  it('reads a v1 clue through its upcaster: the place comes from the old top-level divisionCode', () => {
    apply(submittedV1());
    expect(db.prepare('SELECT clue_id, division_code, source, source_kind, agency_id, agency_jurisdiction, submitted_ms FROM audit_report_clues').all()).toEqual([
      { clue_id: clueId, division_code: '532626', source: 'SCHOOL', source_kind: 'EDUCATION', agency_id: school.agencyId, agency_jurisdiction: '532622', submitted_ms: Date.parse('2026-03-03T03:00:00Z') },
    ]);
  });

  it('skips events it cannot read (newer version, invalid payload) instead of failing the replay', () => {
    expect(() => apply(stored('ClueSubmitted', {}, school, '2026-03-03T03:00:00Z', 7))).not.toThrow();
    expect(() => apply(stored('ClueTriaged', { clueId: 'not-a-uuid' }, school, '2026-03-03T03:00:00Z'))).not.toThrow();
    expect(db.prepare('SELECT COUNT(*) FROM audit_report_clues').pluck().get()).toBe(0);
  });

  it('credits a queue’s referral to the unit that responded, and keeps the first acknowledgment', () => {
    const referralId = newId();
    const party = { agencyId: school.agencyId, agencyKind: 'EDUCATION', jurisdiction: '532622' };
    apply(
      stored(
        'ClueReferred',
        {
          clueId,
          referralId,
          handoff: { from: party, to: { agencyId: null, agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600' }, reason: '移送' },
          category: 'CHILD_TRAFFICKING',
          priority: 'URGENT',
          acknowledgeBy: '2026-03-03T03:15:00.000Z',
          source: 'SCHOOL',
          summary: '学生失学',
          location: { divisionCode: '532626' },
          childMissing: true,
          childInDanger: false,
          details: { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } },
        },
        school,
        '2026-03-03T03:00:00.000Z',
      ),
    );
    const ack = (at: string) => stored('ReferralAcknowledged', { referralId, clueId, acknowledgeBy: '2026-03-03T03:15:00.000Z', late: false }, cityOfficer, at);
    apply(ack('2026-03-03T03:05:00.000Z'));
    apply(ack('2026-03-03T03:20:00.000Z'));
    expect(db.prepare('SELECT jurisdiction, police_agency_id, referred_ms, acknowledge_by_ms, acknowledged_ms FROM audit_report_referrals').get()).toEqual({
      jurisdiction: '532600',
      police_agency_id: 'wenshan-prefecture-police',
      referred_ms: Date.parse('2026-03-03T03:00:00Z'),
      acknowledge_by_ms: Date.parse('2026-03-03T03:15:00Z'),
      acknowledged_ms: Date.parse('2026-03-03T03:05:00Z'),
    });
  });

  it('keeps one row per follow-up visit, keyed by the event position, and ignores a redelivery', () => {
    const placementId = newId();
    const visit = stored('FollowUpVisitRecorded', { placementId, visitedAt: '2026-04-01T02:00:00.000Z', notes: '适应良好', wellbeing: 'GOOD' }, school, '2026-04-01T03:00:00.000Z');
    apply(visit);
    apply(visit);
    expect(db.prepare('SELECT position, placement_id, visited_ms FROM audit_report_visits').all()).toEqual([
      { position: visit.globalPosition, placement_id: placementId, visited_ms: Date.parse('2026-04-01T02:00:00Z') },
    ]);
  });
});
