import type { Actor, AuditEnvelope, Party } from '@atr/contracts';
import { buildJourney } from './journey';

const cityQueue: Party = { agencyId: null, agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600' };
const reporter: Party = { agencyId: 'qiubei-hospital', agencyKind: 'HEALTH', jurisdiction: '532626' };
const jco: Party = { agencyId: 'wenshan-joint-conference-office', agencyKind: 'JOINT_CONFERENCE_OFFICE', jurisdiction: '532600' };
const actor = (agencyId: string, agencyKind: Actor['agencyKind'], jurisdiction: string, role: Actor['role']): Actor => ({ agencyId, agencyKind, jurisdiction, userId: 'u', role });

let position = 0;
function event(type: string, at: string, a: Actor, payload: Record<string, unknown>, causationId = 'req'): AuditEnvelope {
  position++;
  return {
    eventId: `e${position}`,
    type,
    schemaVersion: 1,
    occurredAt: at,
    recordedAt: at,
    actor: a,
    correlationId: 'c',
    causationId,
    streamId: 's',
    streamRevision: position,
    globalPosition: position,
    payload,
  };
}

describe('buildJourney', () => {
  const referred = event('ClueReferred', '2026-03-03T03:00:00.000Z', actor('qiubei-hospital', 'HEALTH', '532626', 'SYSTEM'), {
    referralId: 'r1',
    handoff: { from: reporter, to: cityQueue, reason: '丘北县无公安单位，移送州级队列' },
    acknowledgeBy: '2026-03-03T03:15:00.000Z',
  });

  it('counts an officer of an agency covering a queue as acting on it, but not a county unit outside it', () => {
    const county = event('ReferralAcknowledged', '2026-03-03T03:05:00.000Z', actor('wenshanshi-police', 'PUBLIC_SECURITY', '532601', 'OFFICER'), { referralId: 'r1' });
    const city = event('ReferralAcknowledged', '2026-03-03T03:07:00.000Z', actor('wenshan-prefecture-police', 'PUBLIC_SECURITY', '532600', 'OFFICER'), { referralId: 'r1' });
    const [handoff] = buildJourney([referred, county, city], new Date('2026-03-03T04:00:00.000Z')).handoffs;
    expect(handoff.actedOnBy?.eventId).toBe(city.eventId);
    expect(handoff.waitedMs).toBe(7 * 60_000);
    // acknowledged (by the county unit) before the deadline, so not overdue
    expect(handoff.overdue).toBe(false);
  });

  it('marks a referral overdue when an escalation exists, even before the clock reaches the deadline', () => {
    const escalated = event('ReferralEscalated', '2026-03-03T03:10:00.000Z', actor('queue-532600', 'PUBLIC_SECURITY', '532600', 'SYSTEM'), {
      referralId: 'r1',
      handoff: { from: cityQueue, to: jco, reason: 'overdue' },
    });
    const { handoffs } = buildJourney([referred, escalated], new Date('2026-03-03T03:12:00.000Z'));
    expect(handoffs[0]).toMatchObject({ overdue: true, waiting: true, waitedMs: 12 * 60_000, deadline: '2026-03-03T03:15:00.000Z' });
    expect(handoffs[1]).toMatchObject({ type: 'ReferralEscalated', overdue: false, deadline: null, causedBy: null });
  });

  it('marks a late acknowledgment overdue, and ignores acknowledgments of another referral', () => {
    const other = event('ReferralAcknowledged', '2026-03-03T03:01:00.000Z', actor('x', 'PUBLIC_SECURITY', '532600', 'OFFICER'), { referralId: 'r2' });
    const late = event('ReferralAcknowledged', '2026-03-03T03:20:00.000Z', actor('y', 'PUBLIC_SECURITY', '532600', 'OFFICER'), { referralId: 'r1' });
    expect(buildJourney([referred, other, late], new Date('2026-03-03T04:00:00.000Z')).handoffs[0].overdue).toBe(true);
  });

  it('does not count the receiving side’s SYSTEM event as acting, only as receiving', () => {
    const received = event('ReferralReceived', '2026-03-03T03:00:01.000Z', actor('queue-532600', 'PUBLIC_SECURITY', '532600', 'SYSTEM'), { referralId: 'r1' }, referred.eventId);
    const [handoff] = buildJourney([referred, received], new Date('2026-03-03T03:10:00.000Z')).handoffs;
    expect(handoff.receivedBy).toEqual({ eventId: received.eventId, type: 'ReferralReceived', at: received.occurredAt });
    expect(handoff).toMatchObject({ actedOnBy: null, waiting: true, overdue: false, waitedMs: 10 * 60_000 });
    expect(buildJourney([referred, received], new Date()).events[1].causedBy).toEqual({ eventId: referred.eventId, type: 'ClueReferred' });
  });

  it('ignores a hand-off event whose payload lacks a valid handoff, and summarises unreadable events', () => {
    const broken = { ...event('ClueReferred', '2026-03-03T03:00:00.000Z', actor('a', 'HEALTH', '532626', 'SYSTEM'), {}), readError: 'no upcaster from v0' };
    const journey = buildJourney([broken], new Date());
    expect(journey.handoffs).toEqual([]);
    expect(journey.events[0]).toMatchObject({ readError: 'no upcaster from v0', summary: 'ClueReferred v1 (unreadable: no upcaster from v0)' });
  });
});
