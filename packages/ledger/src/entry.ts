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

function text(record: LedgerRecord, member: keyof LedgerRecord): string {
  const value = record[member];
  if (typeof value !== 'string') throw new LedgerError('INVALID_RECORD', `${member} must be a string, got ${typeof value}`);
  // RFC 8785 §3.2.2.2 serialises strings exactly as ECMAScript's JSON.stringify does.
  return JSON.stringify(value);
}

function integer(record: LedgerRecord, member: keyof LedgerRecord): string {
  const value = record[member];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new LedgerError('INVALID_RECORD', `${member} must be a safe integer, got ${String(value)}`);
  }
  // RFC 8785 §3.2.2.3 (ECMAScript Number serialisation) of a safe integer: its plain digits.
  return String(value);
}

/**
 * The entry bytes' text: the RFC 8785 (JCS) canonical JSON of the record's twelve members —
 * what `canonicalize(record)` from any JCS library returns for it — built by concatenation in
 * the fixed member order (about ten times faster than a generic canonicaliser). Members other
 * than the twelve are not part of the entry. Throws INVALID_RECORD for a member of the wrong
 * type.
 */
export function entryJson(record: LedgerRecord): string {
  return (
    '{"actor":' + text(record, 'actor') +
    ',"causationId":' + text(record, 'causationId') +
    ',"correlationId":' + text(record, 'correlationId') +
    ',"eventId":' + text(record, 'eventId') +
    ',"globalPosition":' + integer(record, 'globalPosition') +
    ',"occurredAt":' + text(record, 'occurredAt') +
    ',"payload":' + text(record, 'payload') +
    ',"recordedAt":' + text(record, 'recordedAt') +
    ',"schemaVersion":' + integer(record, 'schemaVersion') +
    ',"streamId":' + text(record, 'streamId') +
    ',"streamRevision":' + integer(record, 'streamRevision') +
    ',"type":' + text(record, 'type') +
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
