import {
  ClueReferred,
  covers,
  eventDefinition,
  Handoff,
  ReferralAcknowledged,
  ReferralEscalated,
  type Actor,
  type AuditEnvelope,
  type JourneyEvent,
  type JourneyHandoff,
  type Party,
} from '@atr/contracts';

/**
 * The journey of one clue as an auditor reads it: every event in global order with who did it
 * and what caused it, and every hand-off with how long it waited for the receiving agency.
 * Pure: `events` are the journey's events (already upcast) as of `evaluatedAt`.
 */
export function buildJourney(events: readonly AuditEnvelope[], evaluatedAt: Date): { events: JourneyEvent[]; handoffs: JourneyHandoff[] } {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const ref = (eventId: string) => {
    const cause = byId.get(eventId);
    return cause ? { eventId: cause.eventId, type: cause.type } : null;
  };
  const journey = events.map(
    (e): JourneyEvent => ({
      eventId: e.eventId,
      position: e.globalPosition,
      recordedAt: e.recordedAt,
      occurredAt: e.occurredAt,
      type: e.type,
      schemaVersion: e.schemaVersion,
      streamId: e.streamId,
      revision: e.streamRevision,
      actor: e.actor,
      causationId: e.causationId,
      causedBy: ref(e.causationId),
      summary: summarize(e),
      ...(e.readError ? { readError: e.readError } : {}),
    }),
  );
  const handoffs: JourneyHandoff[] = [];
  events.forEach((e, i) => {
    const handoff = handoffOf(e);
    if (!handoff) return;
    const later = events.slice(i + 1);
    const received = later.find((l) => l.causationId === e.eventId);
    const acted = later.find((l) => l.actor.role !== 'SYSTEM' && isOf(l.actor, handoff.to));
    const waitedUntil = acted ? Date.parse(acted.occurredAt) : evaluatedAt.getTime();
    const { deadline, overdue } = deadlineOf(e, later, evaluatedAt);
    handoffs.push({
      eventId: e.eventId,
      type: e.type,
      position: e.globalPosition,
      at: e.occurredAt,
      from: handoff.from,
      to: handoff.to,
      reason: handoff.reason,
      causationId: e.causationId,
      causedBy: ref(e.causationId),
      receivedBy: received ? { eventId: received.eventId, type: received.type, at: received.occurredAt } : null,
      actedOnBy: acted ? { eventId: acted.eventId, type: acted.type, at: acted.occurredAt, actor: acted.actor } : null,
      waitedMs: Math.max(0, waitedUntil - Date.parse(e.occurredAt)),
      waiting: !acted,
      deadline,
      overdue,
    });
  });
  return { events: journey, handoffs };
}

function handoffOf(e: AuditEnvelope): Handoff | undefined {
  if (!eventDefinition(e.type)?.handoff) return undefined;
  const parsed = Handoff.safeParse(e.payload.handoff);
  return parsed.success ? parsed.data : undefined;
}

/** Whether an actor speaks for the receiving party (a queue is worked by an agency of its kind covering it). */
function isOf(actor: Actor, party: Party): boolean {
  if (party.agencyId) return actor.agencyId === party.agencyId;
  return actor.agencyKind === party.agencyKind && covers(actor.jurisdiction, party.jurisdiction);
}

/**
 * A referral must be acknowledged by its deadline: it is overdue when acknowledged late, or not
 * acknowledged and either escalated already or past the deadline at the evaluated instant.
 */
function deadlineOf(e: AuditEnvelope, later: readonly AuditEnvelope[], evaluatedAt: Date): { deadline: string | null; overdue: boolean } {
  if (e.type !== ClueReferred.type || typeof e.payload.acknowledgeBy !== 'string') return { deadline: null, overdue: false };
  const deadline = e.payload.acknowledgeBy;
  const referralId = e.payload.referralId;
  const sameReferral = (l: AuditEnvelope) => l.payload.referralId === referralId;
  const ack = later.find((l) => l.type === ReferralAcknowledged.type && sameReferral(l));
  if (ack) return { deadline, overdue: Date.parse(ack.occurredAt) > Date.parse(deadline) };
  const escalated = later.some((l) => l.type === ReferralEscalated.type && sameReferral(l));
  return { deadline, overdue: escalated || evaluatedAt.getTime() > Date.parse(deadline) };
}

function summarize(e: AuditEnvelope): string {
  if (e.readError) return `${e.type} v${e.schemaVersion} (unreadable: ${e.readError})`;
  const base = eventDefinition(e.type)?.summary ?? e.type;
  const handoff = handoffOf(e);
  return handoff ? `${base} [${label(handoff.from)} → ${label(handoff.to)}: ${handoff.reason}]` : base;
}

const label = (p: Party) => p.agencyId ?? `${p.agencyKind} queue ${p.jurisdiction}`;
