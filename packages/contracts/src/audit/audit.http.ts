import { z } from 'zod';
import { Actor, AgencyKind, Role } from '../agency';
import { Party } from '../catalogue';
import { LogPositionParam as position } from '../as-of';
import { StoredEvent } from '../envelope';

// HTTP DTOs of the audit area (oversight by the joint-conference office and the procuratorate).

export const JourneyParams = z.object({ clueId: z.string().min(1).max(200).describe('the clue id: the correlationId of its journey') }).strict();
export type JourneyParams = z.infer<typeof JourneyParams>;
export const StreamParams = z
  .object({ streamId: z.string().regex(/^[a-z][a-z0-9]*-[A-Za-z0-9-]{1,200}$/, 'must be <category>-<id>, e.g. clue-<uuid>') })
  .strict();
export type StreamParams = z.infer<typeof StreamParams>;

const EventRef = z.object({ eventId: z.string(), type: z.string() });

export const JourneyEvent = z.object({
  eventId: z.string(),
  position: z.number().int(),
  recordedAt: z.string(),
  occurredAt: z.string(),
  type: z.string(),
  schemaVersion: z.number().int(),
  streamId: z.string(),
  revision: z.number().int(),
  actor: Actor,
  causationId: z.string(),
  causedBy: EventRef.nullable().describe('the causing event when it is part of the journey (else the cause was a request)'),
  summary: z.string(),
  readError: z.string().optional().describe('present when the stored event cannot be upcast or validated'),
});
export type JourneyEvent = z.infer<typeof JourneyEvent>;

export const JourneyHandoff = z.object({
  eventId: z.string(),
  type: z.string(),
  position: z.number().int(),
  at: z.string(),
  from: Party,
  to: Party,
  reason: z.string(),
  causationId: z.string(),
  causedBy: EventRef.nullable(),
  receivedBy: z.object({ eventId: z.string(), type: z.string(), at: z.string() }).nullable().describe('the first later event caused by the hand-off'),
  actedOnBy: z
    .object({ eventId: z.string(), type: z.string(), at: z.string(), actor: Actor })
    .nullable()
    .describe('the first later event by a person (not SYSTEM) of the receiving agency'),
  waitedMs: z.number().int().describe('until actedOnBy, or until the as-of instant while still waiting'),
  waiting: z.boolean(),
  deadline: z.string().nullable().describe('the acknowledgment deadline, for hand-offs that have one'),
  overdue: z.boolean(),
});
export type JourneyHandoff = z.infer<typeof JourneyHandoff>;

export const JourneyResponse = z.object({
  clueId: z.string(),
  asOf: z.string().optional(),
  position: z.number().int().optional(),
  /** The instant waits and deadlines are measured against. */
  evaluatedAt: z.string(),
  events: z.array(JourneyEvent),
  handoffs: z.array(JourneyHandoff),
});
export type JourneyResponse = z.infer<typeof JourneyResponse>;

/** A stored envelope, upcast to the current version when possible. */
export const AuditEnvelope = StoredEvent.extend({ readError: z.string().optional() });
export type AuditEnvelope = z.infer<typeof AuditEnvelope>;

export const StreamStateResponse = z.object({
  streamId: z.string(),
  asOf: z.string().optional(),
  position: z.number().int().optional(),
  revision: z.number().int(),
  events: z.array(AuditEnvelope),
  state: z
    .record(z.string(), z.unknown())
    .describe(
      'A record of facts, not the owning service’s decision state: every payload field (except handoff) shallow-merged in order, with lastEvent, lastEventAt and history.',
    ),
});
export type StreamStateResponse = z.infer<typeof StreamStateResponse>;

export const EventsPageQuery = z
  .object({
    after: position.default(0).describe('global position to read after (exclusive)'),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, 'must be an integer from 1 to 1000')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'))
      .default(500),
  })
  .strict();
export type EventsPageQuery = z.infer<typeof EventsPageQuery>;

export const EventsPage = z.object({
  items: z.array(AuditEnvelope),
  /** Pass as `after` for the next page; the export is complete when it equals headPosition. */
  nextAfter: z.number().int(),
  headPosition: z.number().int(),
  scanned: z.number().int().describe('events of the log read for this page (items only holds those in your jurisdiction)'),
});
export type EventsPage = z.infer<typeof EventsPage>;

const TableComparison = z.object({
  table: z.string(),
  liveRows: z.number().int(),
  replayRows: z.number().int(),
  equal: z.boolean(),
  firstDifference: z.object({ index: z.number().int(), live: z.unknown(), replay: z.unknown() }).optional(),
});

export const UnreadableEvent = z.object({
  position: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  schemaVersion: z.number().int(),
  streamId: z.string(),
  error: z.string(),
});

export const ReplayResponse = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  eventsScanned: z.number().int(),
  eventsApplied: z.number().int(),
  equal: z.boolean(),
  projections: z.array(
    z.object({
      projection: z.string(),
      position: z.number().int(),
      eventsApplied: z.number().int(),
      equal: z.boolean(),
      tables: z.array(TableComparison),
      thread: z.number().int().nonnegative().describe('0: rebuilt on the main thread; n: on worker thread n (large logs are replayed in parallel)'),
    }),
  ),
  unreadableEvents: z.object({ count: z.number().int(), first: z.array(UnreadableEvent).describe('the first 50') }),
});
export type ReplayResponse = z.infer<typeof ReplayResponse>;

export const ConsumersResponse = z.object({
  headPosition: z.number().int(),
  consumers: z.array(
    z.object({
      group: z.string(),
      types: z.array(z.string()),
      checkpoint: z.number().int(),
      lag: z.number().int(),
      caughtUp: z.boolean(),
      running: z.boolean(),
      deadLetters: z.number().int(),
      transport: z.enum(['store', 'kafka', 'relay']).optional().describe('store subscription, Kafka consumer group, or the relay from the store to Kafka'),
      topics: z.array(z.string()).optional(),
    }),
  ),
  deadLetters: z.array(
    z.object({
      group: z.string(),
      eventId: z.string(),
      type: z.string(),
      position: z.number().int(),
      streamId: z.string(),
      correlationId: z.string(),
      error: z.string(),
      attempts: z.number().int(),
      failedAt: z.string(),
    }),
  ),
});
export type ConsumersResponse = z.infer<typeof ConsumersResponse>;

/** Who may audit: auditors and supervisors of the joint-conference office and the procuratorate. */
export const AUDIT_KINDS = ['JOINT_CONFERENCE_OFFICE', 'PROCURATORATE'] as const satisfies readonly AgencyKind[];
/** The roles of those agencies that audit (the supervisor also lists cases for supervision). */
export const AUDIT_ROLES = ['AUDITOR', 'SUPERVISOR'] as const satisfies readonly Role[];
