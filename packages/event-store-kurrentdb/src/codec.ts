import type { Actor, NewEvent, StoredEvent } from '@atr/contracts';
import type { AllStreamResolvedEvent, JSONEventData, Position, ResolvedEvent } from '@kurrent/kurrentdb-client';
import type { StreamNaming } from './naming';

/**
 * The platform envelope around the payload, kept in the KurrentDB event's metadata. `$correlationId`
 * and `$causationId` are KurrentDB's own keys: the $by_correlation_id system projection indexes
 * the first, and the admin UI shows both.
 */
export interface EnvelopeMetadata {
  schemaVersion: number;
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  $correlationId: string;
  $causationId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The client's event shape. JSON is copied here, when append() is called: the client serializes
 * later (after our reads), and the caller may change its objects meanwhile.
 */
export function toEventData(event: NewEvent, naming: StreamNaming): JSONEventData {
  if (!UUID.test(event.eventId)) throw new RangeError(`eventId ${event.eventId} is not a UUID (KurrentDB event ids are UUIDs)`);
  const metadata: EnvelopeMetadata = {
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    $correlationId: naming.correlationKey(event.correlationId),
    $causationId: event.causationId,
  };
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: JSON.parse(JSON.stringify(event.payload)),
    metadata: JSON.parse(JSON.stringify(metadata)),
  };
}

/**
 * The global position of a record: its log position. Every event appended through the gRPC API
 * is its own implicitly committed record, so its commit and prepare positions are equal; only
 * explicit transactions of the legacy TCP API (never used here) would make them differ.
 */
export function toGlobalPosition(position: Position | undefined, what: string): number {
  if (!position) {
    throw new Error(`${what} has no log position: KurrentDB / EventStoreDB 22.6 or later is required`);
  }
  const commit = BigInt(position.commit);
  const prepare = BigInt(position.prepare);
  if (commit !== prepare) {
    throw new Error(`${what} has commit position ${commit} ≠ prepare position ${prepare} (an explicit transaction, or a server that does not report stream positions): not supported`);
  }
  if (prepare <= 0n || prepare > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} has log position ${prepare} outside 1..2^53`);
  return Number(prepare);
}

/** Where reads and subscriptions resume: positions are exact record positions, so commit = prepare. */
export function toLogPosition(globalPosition: number): Position {
  if (!Number.isSafeInteger(globalPosition) || globalPosition < 1) throw new RangeError(`not a global position: ${globalPosition}`);
  return { commit: BigInt(globalPosition), prepare: BigInt(globalPosition) };
}

/** The envelope of a recorded event, or undefined when the event is not one of ours (another namespace, a system or foreign event). */
export function fromRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent, naming: StreamNaming): StoredEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined; // a link whose target was deleted
  const streamId = naming.streamIdOf(event.streamId);
  if (streamId === undefined || !event.isJson) return undefined;
  const meta = event.metadata as Partial<EnvelopeMetadata> | undefined;
  if (!meta || typeof meta !== 'object' || meta instanceof Uint8Array || typeof meta.correlationId !== 'string') {
    throw new Error(`event ${event.id} in ${event.streamId} has no platform envelope in its metadata`);
  }
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: meta.schemaVersion!,
    occurredAt: meta.occurredAt!,
    actor: meta.actor!,
    correlationId: meta.correlationId,
    causationId: meta.causationId!,
    payload: event.data as Record<string, unknown>,
    streamId,
    streamRevision: Number(event.revision),
    globalPosition: toGlobalPosition(event.position, `event ${event.id} in ${event.streamId}`),
    recordedAt: event.created.toISOString(),
  };
}

/** Position of any record returned by a $all read (ours or not), to page past it. */
export function recordPosition(resolved: AllStreamResolvedEvent): number | undefined {
  const record = resolved.event ?? resolved.link;
  return record?.position ? Number(BigInt(record.position.prepare)) : undefined;
}
