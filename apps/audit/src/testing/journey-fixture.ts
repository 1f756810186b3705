import { newId, type Actor, type NewEvent, type Party, type StoredEvent } from '@atr/contracts';
import type { EventStore } from '@atr/event-store';
import { systemActor, type ManualClock } from '@atr/platform';

// Realistic envelopes of several agencies, appended straight to the store (audit reads the log,
// so its tests need no other service).

export const school: Actor = { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622', userId: 'clerk-yang', role: 'REPORTER' };
export const officer: Actor = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622', userId: 'officer-li', role: 'OFFICER' };
export const schoolParty: Party = { agencyId: school.agencyId, agencyKind: 'EDUCATION', jurisdiction: '532622' };
export const policeParty: Party = { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' };
export const jcoParty: Party = { agencyId: 'wenshan-joint-conference-office', agencyKind: 'JOINT_CONFERENCE_OFFICE', jurisdiction: '532600' };
export const intakeSystem = systemActor(schoolParty, 'intake');
export const policeSystem = systemActor(policeParty, 'police');

const details = { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } };
const clueFacts = { source: 'SCHOOL', summary: '学生连续两周未到校，家长称已送往外地', childMissing: true, childInDanger: false, details };

export class Seeder {
  constructor(
    private readonly store: EventStore,
    private readonly clock: ManualClock,
  ) {}

  /** Appends one event at the clock's current time and returns it as stored. */
  async append(
    streamId: string,
    type: string,
    payload: Record<string, unknown>,
    meta: { actor: Actor; correlationId: string; causationId: string; schemaVersion?: number },
  ): Promise<StoredEvent> {
    const event: NewEvent = {
      eventId: newId(),
      type,
      schemaVersion: meta.schemaVersion ?? 1,
      occurredAt: this.clock.now().toISOString(),
      actor: meta.actor,
      correlationId: meta.correlationId,
      causationId: meta.causationId,
      payload,
    };
    await this.store.append(streamId, [event], 'any');
    const stream = await this.store.readStream(streamId);
    return stream[stream.length - 1];
  }

  /**
   * A school's clue submitted (as v1), triaged URGENT and referred to 砚山县 police, received
   * by the police inbox one second later. Returns the events and the ids.
   */
  async referredClue() {
    const clueId = newId();
    const referralId = newId();
    const clue = `clue-${clueId}`;
    const referral = `referral-${referralId}`;
    const m = (actor: Actor, causationId: string) => ({ actor, correlationId: clueId, causationId });
    const submitted = await this.append(
      clue,
      'ClueSubmitted',
      { clueId, submittedBy: schoolParty, idempotencyKey: 'k-' + clueId, requestHash: 'h', divisionCode: '532622', address: '砚山县江那镇', ...clueFacts },
      { ...m(school, 'req-' + clueId), schemaVersion: 1 },
    );
    this.clock.advance(1000);
    const triaged = await this.append(
      clue,
      'ClueTriaged',
      {
        clueId,
        category: 'CHILD_TRAFFICKING',
        priority: 'URGENT',
        reasons: ['child missing'],
        acknowledgeWithinMinutes: 15,
        routedTo: { agencyId: 'yanshan-police', jurisdiction: '532622', queue: 'UNIT' },
        fingerprints: [],
      },
      m(intakeSystem, submitted.eventId),
    );
    this.clock.advance(1000);
    const acknowledgeBy = new Date(this.clock.now().getTime() + 15 * 60_000).toISOString();
    const handoff = { from: schoolParty, to: policeParty, reason: '移送: 儿童失踪线索' };
    const common = { clueId, referralId, handoff, category: 'CHILD_TRAFFICKING', priority: 'URGENT', acknowledgeBy, location: { divisionCode: '532622' }, ...clueFacts };
    const referred = await this.append(clue, 'ClueReferred', common, m(intakeSystem, triaged.eventId));
    this.clock.advance(1000);
    const received = await this.append(referral, 'ReferralReceived', common, m(policeSystem, referred.eventId));
    return { clueId, referralId, clue, referral, acknowledgeBy, submitted, triaged, referred, received };
  }

  async acknowledge(r: Awaited<ReturnType<Seeder['referredClue']>>, causationId: string) {
    const late = this.clock.now().toISOString() > r.acknowledgeBy;
    return this.append(
      r.referral,
      'ReferralAcknowledged',
      { referralId: r.referralId, clueId: r.clueId, acknowledgeBy: r.acknowledgeBy, late },
      { actor: officer, correlationId: r.clueId, causationId },
    );
  }
}
