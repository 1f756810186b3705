import { z } from 'zod';
import { AgencyKind, DivisionCode } from './agency';
import type { DomainEvent, StoredEvent } from './envelope';

export type ServiceName = 'intake' | 'police' | 'placement' | 'assessment' | 'audit';

/** The party on either side of a hand-off between agencies. */
export const Party = z.object({
  agencyId: z.string().min(1).nullable().describe('null when the receiver is a queue, not a named agency'),
  agencyKind: AgencyKind,
  jurisdiction: DivisionCode,
});
export type Party = z.infer<typeof Party>;

/** Every hand-off names sender, receiver and reason; time and cause are in the envelope. */
export const Handoff = z.object({
  from: Party,
  to: Party,
  reason: z.string().min(1),
});
export type Handoff = z.infer<typeof Handoff>;

export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  /** The current version; older stored versions are upcast to it on read. */
  version: number;
  payload: S;
  owner: ServiceName;
  /** Stream category the owner writes it to (clue, referral, case, placement, assessment). */
  category: string;
  summary: string;
  /** True when the payload carries a `handoff` from one agency to another. */
  handoff?: boolean;
}

export type PayloadOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;

const definitions = new Map<string, EventDefinition>();

export function defineEvent<T extends string, S extends z.ZodType>(def: EventDefinition<T, S>): EventDefinition<T, S> {
  if (definitions.has(def.type)) throw new Error(`event type ${def.type} is defined twice`);
  definitions.set(def.type, def as EventDefinition);
  return def;
}

/** Every event type the platform knows, for docs, validation and replay. */
export function eventCatalogue(): EventDefinition[] {
  return [...definitions.values()];
}

export function eventDefinition(type: string): EventDefinition | undefined {
  return definitions.get(type);
}

/** Rewrites a payload of `fromVersion` into the shape of `fromVersion + 1`. */
export type Upcaster = (payload: Record<string, unknown>, event: StoredEvent) => Record<string, unknown>;

const upcasters = new Map<string, Upcaster>();

/**
 * Events are immutable: a change of shape gets a new version and an upcaster from the previous
 * one. Stored rows are never rewritten; upcasting happens on every read.
 */
export function registerUpcaster(type: string, fromVersion: number, upcaster: Upcaster): void {
  const key = `${type}@${fromVersion}`;
  if (upcasters.has(key)) throw new Error(`upcaster ${key} is registered twice`);
  upcasters.set(key, upcaster);
}

export class UnknownEventError extends Error {
  constructor(readonly event: Pick<StoredEvent, 'type' | 'schemaVersion' | 'eventId'>, reason: string) {
    super(`cannot read event ${event.eventId} (${event.type} v${event.schemaVersion}): ${reason}`);
    this.name = 'UnknownEventError';
  }
}

/** Brings a stored event to the current version of its type (without validating it). */
export function upcast(event: StoredEvent): StoredEvent {
  const def = definitions.get(event.type);
  if (!def) throw new UnknownEventError(event, 'unknown type');
  if (event.schemaVersion > def.version) throw new UnknownEventError(event, `newer than v${def.version}`);
  let payload = event.payload;
  for (let v = event.schemaVersion; v < def.version; v++) {
    const step = upcasters.get(`${event.type}@${v}`);
    if (!step) throw new UnknownEventError(event, `no upcaster from v${v}`);
    payload = step(payload, event);
  }
  return payload === event.payload ? event : { ...event, schemaVersion: def.version, payload };
}

let revalidateCurrentVersions = true;

/**
 * Whether readEvent validates a stored payload that is already at its type's current version.
 * Every event is validated before it is appended (the command runner) and a version's schema never
 * changes, so checking it again on every read only guards against a row altered behind the
 * store's back: the ledger detects that, and the audit replay reads the whole log with full
 * validation and names each unreadable event. A replay thread turns the check off for its
 * projections, where it was about a sixth of the thread's work. Upcast payloads are always
 * validated: they are new shapes made by code.
 */
export function validateCurrentVersionsOnRead(enabled: boolean): void {
  revalidateCurrentVersions = enabled;
}

/** Upcasts and validates a stored event against its definition. */
export function readEvent<D extends EventDefinition>(def: D, event: StoredEvent): EventOf<D> {
  const current = upcast(event);
  if (!revalidateCurrentVersions && current === event && event.type === def.type) return event as EventOf<D>;
  const parsed = def.payload.safeParse(current.payload);
  if (!parsed.success) throw new UnknownEventError(event, parsed.error.message);
  return { ...current, payload: parsed.data } as EventOf<D>;
}

/** Upcasts and validates any known event. */
export function readAnyEvent(event: StoredEvent): DomainEvent {
  const def = definitions.get(event.type);
  if (!def) throw new UnknownEventError(event, 'unknown type');
  return readEvent(def, event) as DomainEvent;
}

export function isEvent<D extends EventDefinition>(def: D, event: { type: string }): boolean {
  return event.type === def.type;
}
