import { StoredEvent } from '@atr/contracts';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Headers of an event record: enough to route and filter without parsing the value. */
export const HEADER = {
  eventId: 'atr-event-id',
  type: 'atr-event-type',
  schemaVersion: 'atr-schema-version',
  position: 'atr-global-position',
  /** Set by a re-drive: only this consumer group handles the record, the others skip it. */
  redriveFor: 'atr-redrive-for',
  // dead letters: why, where from, after how many attempts
  error: 'atr-dlt-error',
  group: 'atr-dlt-group',
  attempts: 'atr-dlt-attempts',
  failedAt: 'atr-dlt-failed-at',
  topic: 'atr-dlt-original-topic',
  partition: 'atr-dlt-original-partition',
  offset: 'atr-dlt-original-offset',
} as const;

/** A stored event as a Kafka record: key = the journey, value = the envelope as JSON. */
export function encodeEvent(event: StoredEvent): Message {
  return {
    key: event.correlationId,
    value: JSON.stringify(event),
    headers: {
      [HEADER.eventId]: event.eventId,
      [HEADER.type]: event.type,
      [HEADER.schemaVersion]: String(event.schemaVersion),
      [HEADER.position]: String(event.globalPosition),
    },
  };
}

export function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Thrown for a record that is no stored event: retrying cannot help, it is dead-lettered at once. */
export class UndecodableRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableRecordError';
  }
}

/** Reads and validates the envelope of a record (zod at the boundary). */
export function decodeEvent(message: Pick<KafkaMessage, 'value'>): StoredEvent {
  if (!message.value) throw new UndecodableRecordError('record has no value');
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    throw new UndecodableRecordError(`record value is not JSON: ${(error as Error).message}`);
  }
  const parsed = StoredEvent.safeParse(json);
  if (!parsed.success) {
    throw new UndecodableRecordError(`record is not a stored event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
