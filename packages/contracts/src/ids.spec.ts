import { consequenceId, deterministicId, newId } from './ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const versionOf = (id: string) => id[14];
const millisOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('ids', () => {
  it('newId is a v7 UUID carrying the time it was made, and later ids sort after earlier ones', () => {
    const before = Date.now();
    const ids = Array.from({ length: 1000 }, () => newId());
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(UUID);
    expect(versionOf(ids[0])).toBe('7');
    expect(millisOf(ids[0])).toBeGreaterThanOrEqual(before);
    expect(millisOf(ids[999])).toBeLessThanOrEqual(after);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('deterministicId is the same for the same names, different otherwise, and v5', () => {
    expect(deterministicId('clue', 'a', 'b')).toBe(deterministicId('clue', 'a', 'b'));
    expect(deterministicId('clue', 'a', 'b')).not.toBe(deterministicId('clue', 'a', 'c'));
    expect(deterministicId('clue', 'a', 'b')).not.toBe(deterministicId('case', 'a', 'b'));
    expect(versionOf(deterministicId('clue', 'a'))).toBe('5');
    // pinned: clue ids derive from idempotency keys, so a change would orphan stored clues
    expect(deterministicId('clue', 'school-1', 'key-1')).toBe('4269f2ad-61e9-593d-8c33-deeeb1aca67e');
  });

  it('consequenceId of a time-ordered cause keeps its millisecond and is stable per cause and name', () => {
    const cause = newId();
    const id = consequenceId(cause, 'police:inbox', '0');
    expect(id).toMatch(UUID);
    expect(versionOf(id)).toBe('8');
    expect(millisOf(id)).toBe(millisOf(cause));
    expect(consequenceId(cause, 'police:inbox', '0')).toBe(id);
    expect(consequenceId(cause, 'police:inbox', '1')).not.toBe(id);
    expect(consequenceId(cause, 'intake:router', '0')).not.toBe(id);
    // a consequence of a consequence stays in the same millisecond too
    expect(millisOf(consequenceId(id, 'placement', '0'))).toBe(millisOf(cause));
  });

  it('consequenceId of a cause stored before time-ordered ids is the deterministicId it always was', () => {
    const oldCause = '3f2b8c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f';
    expect(consequenceId(oldCause, 'police:inbox', '0')).toBe(deterministicId('police:inbox', oldCause, '0'));
    const v5Cause = deterministicId('ledger-checkpoint', 'x');
    expect(consequenceId(v5Cause, 'audit', '0')).toBe(deterministicId('audit', v5Cause, '0'));
  });
});
