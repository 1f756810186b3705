import { route } from './route';

const police: Record<string, string> = { '532622': 'yanshan-police', '532600': 'wenshan-prefecture-police' };
const policeAt = (code: string) => police[code];

describe('route', () => {
  it('sends a clue to the police unit of its division', () => {
    expect(route('532622', policeAt)).toEqual({ agencyId: 'yanshan-police', jurisdiction: '532622', queue: 'UNIT' });
  });

  it('falls back to the city-level queue when the county has no unit (532626 → 532600)', () => {
    expect(route('532626', policeAt)).toEqual({ agencyId: 'wenshan-prefecture-police', jurisdiction: '532600', queue: 'CITY_FALLBACK' });
  });

  it('leaves the city queue unnamed when no city-level police is configured', () => {
    expect(route('341522', policeAt)).toEqual({ agencyId: null, jurisdiction: '341500', queue: 'CITY_FALLBACK' });
  });
});
