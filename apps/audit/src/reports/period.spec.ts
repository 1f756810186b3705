import { chinaTime, parsePeriod } from './period';

describe('parsePeriod', () => {
  it('starts and ends half-years at midnight China Standard Time (UTC+08:00)', () => {
    const h1 = parsePeriod('2026-H1');
    expect(h1).toEqual({
      label: '2026-H1',
      kind: 'HALF_YEAR',
      fromMs: Date.parse('2025-12-31T16:00:00Z'),
      toMs: Date.parse('2026-06-30T16:00:00Z'),
      from: '2026-01-01T00:00:00+08:00',
      to: '2026-07-01T00:00:00+08:00',
    });
    const h2 = parsePeriod('2026-H2');
    expect(h2.fromMs).toBe(h1.toMs);
    expect(h2.to).toBe('2027-01-01T00:00:00+08:00');
  });

  it('puts 23:59:59.999 on 30 June (Beijing) in H1 and midnight in H2', () => {
    const h1 = parsePeriod('2026-H1');
    const lastMoment = Date.parse('2026-06-30T15:59:59.999Z');
    const midnight = Date.parse('2026-06-30T16:00:00.000Z');
    expect(lastMoment >= h1.fromMs && lastMoment < h1.toMs).toBe(true);
    expect(midnight < h1.toMs).toBe(false);
    expect(midnight >= parsePeriod('2026-H2').fromMs).toBe(true);
  });

  it('makes a year the union of its half-years', () => {
    const year = parsePeriod('2026');
    expect(year.kind).toBe('YEAR');
    expect(year.fromMs).toBe(parsePeriod('2026-H1').fromMs);
    expect(year.toMs).toBe(parsePeriod('2026-H2').toMs);
    expect(year.from).toBe('2026-01-01T00:00:00+08:00');
  });

  it.each(['2026-H3', '2026-h1', '26', '2026-1', ' 2026', '1899', '2026-H1-extra'])('refuses %p', (label) => {
    expect(() => parsePeriod(label)).toThrow(/not a report period/);
  });

  it('writes instants in +08:00', () => {
    expect(chinaTime(Date.parse('2026-03-03T03:00:00Z'))).toBe('2026-03-03T11:00:00+08:00');
  });
});
