import { cityOf, type RoutedTo } from '@atr/contracts';

/** Finds the police agency whose jurisdiction is exactly a division code. */
export type PoliceAt = (divisionCode: string) => string | undefined;

/**
 * The police unit of the clue's division (queue UNIT); when the division has none, the
 * city-level queue (CITY_FALLBACK), named after the city-level police agency if one is configured.
 */
export function route(divisionCode: string, policeAt: PoliceAt): RoutedTo {
  const unit = policeAt(divisionCode);
  if (unit) return { agencyId: unit, jurisdiction: divisionCode, queue: 'UNIT' };
  const city = cityOf(divisionCode);
  return { agencyId: policeAt(city) ?? null, jurisdiction: city, queue: 'CITY_FALLBACK' };
}
