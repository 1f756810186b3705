import { covers } from '@atr/contracts';
import { AccessDenied } from '@atr/platform';
import { assertOversees, divisionRange, levelOf } from './jurisdiction';

describe('jurisdiction helpers', () => {
  it('tells the level from the trailing zeros (GB/T 2260)', () => {
    expect(levelOf('530000')).toBe('PROVINCE');
    expect(levelOf('532600')).toBe('CITY');
    expect(levelOf('532622')).toBe('COUNTY');
    expect(levelOf('532601')).toBe('COUNTY');
  });

  it('gives the range of codes a division covers', () => {
    expect(divisionRange('530000')).toEqual({ lo: '530000', hi: '539999' });
    expect(divisionRange('532600')).toEqual({ lo: '532600', hi: '532699' });
    expect(divisionRange('532622')).toEqual({ lo: '532622', hi: '532622' });
  });

  it('agrees with covers() from contracts on every kind of pair', () => {
    const outers = ['530000', '532600', '532622', '341500', '110000'];
    const inners = ['530000', '532600', '532601', '532622', '532699', '532700', '539999', '540000', '529999', '341502', '110101'];
    for (const outer of outers) {
      const { lo, hi } = divisionRange(outer);
      for (const inner of inners) expect({ outer, inner, inRange: inner >= lo && inner <= hi }).toEqual({ outer, inner, inRange: covers(outer, inner) });
    }
  });

  it('lets an auditor read their own division and those under it, and refuses the rest with 403', () => {
    expect(() => assertOversees('532600', '532600')).not.toThrow();
    expect(() => assertOversees('532600', '532622')).not.toThrow();
    expect(() => assertOversees('530000', '532600')).not.toThrow();
    expect(() => assertOversees('532601', '532622')).toThrow(AccessDenied);
    expect(() => assertOversees('532601', '532600')).toThrow(/does not cover 532600/);
    expect(() => assertOversees('341500', '530000')).toThrow(AccessDenied);
  });
});
