import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { type LedgerRecord, LEDGER_RECORD_MEMBERS, entryBytes, entryJson, leafHashOfRecord } from './entry';

const stored: LedgerRecord = {
  actor: '{"agencyId":"yanshan-no1-primary","agencyKind":"EDUCATION","jurisdiction":"532622","userId":"clerk-yang","role":"REPORTER"}',
  causationId: 'req-1',
  correlationId: 'c0a80101-0000-4000-8000-000000000001',
  eventId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  globalPosition: 42,
  occurredAt: '2026-03-01T08:00:00.000Z',
  payload: '{"summary":"五年级学生小芳连续两周未到校","childMissing":true}',
  recordedAt: '2026-03-01T08:00:00.123Z',
  schemaVersion: 2,
  streamId: 'clue-c0a80101-0000-4000-8000-000000000001',
  streamRevision: 0,
  type: 'ClueSubmitted',
};

describe('entry bytes of a stored event', () => {
  it('are the JCS text of the twelve stored members, actor and payload as JSON strings', () => {
    const expected =
      '{"actor":"{\\"agencyId\\":\\"yanshan-no1-primary\\",\\"agencyKind\\":\\"EDUCATION\\",\\"jurisdiction\\":\\"532622\\",\\"userId\\":\\"clerk-yang\\",\\"role\\":\\"REPORTER\\"}",' +
      '"causationId":"req-1","correlationId":"c0a80101-0000-4000-8000-000000000001","eventId":"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",' +
      '"globalPosition":42,"occurredAt":"2026-03-01T08:00:00.000Z",' +
      '"payload":"{\\"summary\\":\\"五年级学生小芳连续两周未到校\\",\\"childMissing\\":true}",' +
      '"recordedAt":"2026-03-01T08:00:00.123Z","schemaVersion":2,"streamId":"clue-c0a80101-0000-4000-8000-000000000001","streamRevision":0,"type":"ClueSubmitted"}';
    expect(entryJson(stored)).toBe(expected);
    expect(entryBytes(stored)).toEqual(Buffer.from(expected, 'utf8'));
    expect(entryJson(stored)).toBe(canonicalize(stored));
    expect(leafHashOfRecord(stored)).toEqual(createHash('sha256').update(Buffer.of(0)).update(expected, 'utf8').digest());
  });

  it('lists the members in RFC 8785 order', () => {
    expect([...LEDGER_RECORD_MEMBERS]).toEqual([...LEDGER_RECORD_MEMBERS].sort());
    expect(Object.keys(JSON.parse(entryJson(stored)))).toEqual([...LEDGER_RECORD_MEMBERS]);
  });

  it('cover the stored bytes, not the parsed value: the same payload in another key order is another leaf', () => {
    const reordered = { ...stored, payload: '{"childMissing":true,"summary":"五年级学生小芳连续两周未到校"}' };
    expect(JSON.parse(reordered.payload)).toEqual(JSON.parse(stored.payload));
    expect(leafHashOfRecord(reordered)).not.toEqual(leafHashOfRecord(stored));
  });

  it('ignore members other than the twelve', () => {
    const withExtra = { ...stored, decodedPayload: { x: 1 } } as LedgerRecord;
    expect(entryJson(withExtra)).toBe(entryJson(stored));
  });

  it('refuse members of the wrong type, naming them', () => {
    expect(() => entryJson({ ...stored, payload: { summary: 'x' } } as unknown as LedgerRecord)).toThrow(
      expect.objectContaining({ code: 'INVALID_RECORD', message: 'payload must be a string, got object' }),
    );
    expect(() => entryJson({ ...stored, globalPosition: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_RECORD', message: 'globalPosition must be a safe integer, got 1.5' }));
    expect(() => entryJson({ ...stored, streamRevision: 2 ** 53 })).toThrow(expect.objectContaining({ code: 'INVALID_RECORD' }));
    expect(() => entryJson({ ...stored, eventId: undefined } as unknown as LedgerRecord)).toThrow(expect.objectContaining({ code: 'INVALID_RECORD' }));
  });
});

// Strings from every corner JSON escaping has: Chinese, emoji (surrogate pairs), lone
// surrogates, control characters, U+2028/U+2029, quotes, backslashes, DEL, BOM, any UTF-16 unit.
const tricky = fc.constantFrom('中', '拐', '😀', '🧒🏽', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u0000', '\u0008', '\u001f', '\n', '\t', '\u2028', '\u2029', '"', '\\', '/', '\u007f', '\uFEFF', 'é', 'e\u0301');
const unit = fc.oneof(tricky, fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.string({ unit: 'grapheme', maxLength: 1 }));
const text = fc.string({ unit, maxLength: 40 });
const jsonText = fc.oneof(text, fc.jsonValue().map((v) => JSON.stringify(v)));
const integer = fc.oneof(fc.nat(), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER));

const record: fc.Arbitrary<LedgerRecord> = fc.record({
  actor: jsonText,
  causationId: text,
  correlationId: text,
  eventId: text,
  globalPosition: integer,
  occurredAt: text,
  payload: jsonText,
  recordedAt: text,
  schemaVersion: integer,
  streamId: text,
  streamRevision: integer,
  type: text,
});

describe('entry bytes, property-based', () => {
  it('equal canonicalize(record) of the canonicalize library for arbitrary strings and integers', () => {
    fc.assert(
      fc.property(record, (r) => {
        const canonical = canonicalize(r)!;
        const bytes = entryBytes(r);
        // Plain comparisons here (jest's deep equality is slow on thousands of buffers).
        if (entryJson(r) !== canonical) expect(entryJson(r)).toBe(canonical);
        if (!bytes.equals(Buffer.from(canonical, 'utf8'))) expect(bytes).toEqual(Buffer.from(canonical, 'utf8'));
        const leaf = createHash('sha256').update(Buffer.of(0)).update(bytes).digest();
        if (!leafHashOfRecord(r).equals(leaf)) expect(leafHashOfRecord(r)).toEqual(leaf);
      }),
      { numRuns: 2000 },
    );
  });

  it('are valid UTF-8 that parses back to the record', () => {
    fc.assert(
      fc.property(record, (r) => {
        const decoded = new TextDecoder('utf-8', { fatal: true }).decode(entryBytes(r));
        expect(JSON.parse(decoded)).toEqual({ ...r, globalPosition: r.globalPosition || 0, schemaVersion: r.schemaVersion || 0, streamRevision: r.streamRevision || 0 });
      }),
      { numRuns: 500 },
    );
  });
});
