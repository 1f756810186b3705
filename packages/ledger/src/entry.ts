import { LedgerError } from './errors';
import { leafHashOfUtf8 } from './hashing';

/**
 * A stored event as the ledger hashes it: the event store's columns, exactly as stored.
 * `actor` and `payload` are the stored JSON *texts* (the bytes of the store's actor/payload
 * columns, in the writer's key order, never re-serialised), not parsed objects; the other
 * members are the stored strings and integers. Upcasting happens on read and never touches
 * these, so an event's leaf hash is fixed the moment it is recorded.
 */
export interface LedgerRecord {
  actor: string;
  causationId: string;
  correlationId: string;
  eventId: string;
  globalPosition: number;
  occurredAt: string;
  payload: string;
  recordedAt: string;
  schemaVersion: number;
  streamId: string;
  streamRevision: number;
  type: string;
}

/** The members of a LedgerRecord, in RFC 8785 order (UTF-16 code units; all ASCII here). */
export const LEDGER_RECORD_MEMBERS = [
  'actor',
  'causationId',
  'correlationId',
  'eventId',
  'globalPosition',
  'occurredAt',
  'payload',
  'recordedAt',
  'schemaVersion',
  'streamId',
  'streamRevision',
  'type',
] as const satisfies readonly (keyof LedgerRecord)[];

const STRING_MEMBERS = LEDGER_RECORD_MEMBERS.filter((m) => !['globalPosition', 'schemaVersion', 'streamRevision'].includes(m));

/** The first member of the wrong type, named for the error (slow path, only on failure). */
function invalidMember(record: LedgerRecord): LedgerError {
  for (const member of LEDGER_RECORD_MEMBERS) {
    const value: unknown = record[member];
    if (STRING_MEMBERS.includes(member)) {
      if (typeof value !== 'string') return new LedgerError('INVALID_RECORD', `${member} must be a string, got ${typeof value}`);
    } else if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return new LedgerError('INVALID_RECORD', `${member} must be a safe integer, got ${String(value)}`);
    }
  }
  return new LedgerError('INVALID_RECORD', 'not a ledger record');
}

const json = JSON.stringify;

/**
 * The entry bytes' text: the RFC 8785 (JCS) canonical JSON of the record's twelve members —
 * what `canonicalize(record)` from any JCS library returns for it — built by concatenation in
 * the fixed member order instead of sorting keys for every record. RFC 8785 serialises strings
 * exactly as ECMAScript's JSON.stringify does (§3.2.2.2) and a safe integer as its plain
 * digits (§3.2.2.3). Members other than the twelve are not part of the entry. Throws
 * INVALID_RECORD naming a member of the wrong type.
 */
export function entryJson(record: LedgerRecord): string {
  const r = record;
  if (
    typeof r.actor !== 'string' ||
    typeof r.causationId !== 'string' ||
    typeof r.correlationId !== 'string' ||
    typeof r.eventId !== 'string' ||
    typeof r.occurredAt !== 'string' ||
    typeof r.payload !== 'string' ||
    typeof r.recordedAt !== 'string' ||
    typeof r.streamId !== 'string' ||
    typeof r.type !== 'string' ||
    !Number.isSafeInteger(r.globalPosition) ||
    !Number.isSafeInteger(r.schemaVersion) ||
    !Number.isSafeInteger(r.streamRevision)
  ) {
    throw invalidMember(r);
  }
  return (
    '{"actor":' + json(r.actor) +
    ',"causationId":' + json(r.causationId) +
    ',"correlationId":' + json(r.correlationId) +
    ',"eventId":' + json(r.eventId) +
    ',"globalPosition":' + String(r.globalPosition) +
    ',"occurredAt":' + json(r.occurredAt) +
    ',"payload":' + json(r.payload) +
    ',"recordedAt":' + json(r.recordedAt) +
    ',"schemaVersion":' + String(r.schemaVersion) +
    ',"streamId":' + json(r.streamId) +
    ',"streamRevision":' + String(r.streamRevision) +
    ',"type":' + json(r.type) +
    '}'
  );
}

/**
 * The entry bytes of a stored event (the Merkle leaf input): UTF-8 of entryJson(record).
 * JSON.stringify escapes lone surrogates (\udXXX), so the text is always well-formed UTF-16
 * and its UTF-8 encoding is lossless.
 */
export function entryBytes(record: LedgerRecord): Buffer {
  return Buffer.from(entryJson(record), 'utf8');
}

/** SHA-256(0x00 ‖ entryBytes(record)): the leaf hash of a stored event, without the extra copy. */
export function leafHashOfRecord(record: LedgerRecord): Buffer {
  return leafHashOfUtf8(entryJson(record));
}
