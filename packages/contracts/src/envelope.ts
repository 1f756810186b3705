import { z } from 'zod';
import { Actor } from './agency';

export const EventId = z.string().uuid();

/**
 * An event as a service hands it to the event store. Everything but the store-assigned
 * fields (stream revision, global position, recordedAt) is decided by the writer.
 */
export const NewEvent = z.object({
  eventId: EventId,
  type: z.string().regex(/^[A-Z][A-Za-z]+$/),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  actor: Actor,
  /** The journey: the id of the clue every event of its consequences belongs to. */
  correlationId: z.string().min(1),
  /** The event (or request id) that caused this one. */
  causationId: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
});
export type NewEvent = z.infer<typeof NewEvent>;

/** An event as stored: the envelope of the issue, with what the store assigned. */
export const StoredEvent = NewEvent.extend({
  streamId: z.string().min(1),
  /** 0-based position of the event inside its stream. */
  streamRevision: z.number().int().nonnegative(),
  /** 1-based position in the global log, in commit order; 0 means "before the first event". */
  globalPosition: z.number().int().positive(),
  recordedAt: z.string().datetime({ offset: true }),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

/** A stored event whose payload has been upcast to the current version and parsed. */
export type DomainEvent<T extends string = string, P = Record<string, unknown>> = Omit<
  StoredEvent,
  'type' | 'payload'
> & { type: T; payload: P };
