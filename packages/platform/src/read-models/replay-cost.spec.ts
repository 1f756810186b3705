import type { StoredEvent } from '@atr/contracts';
import type { Projection } from './projection';
import { measureReplayCost } from './replay-cost';

const stored = (type: string, n: number) => ({ type, globalPosition: n, payload: { n } }) as unknown as StoredEvent;
const table = (name: string, apply: Projection['apply']): Projection => ({
  name,
  types: [name],
  schema: [`CREATE TABLE IF NOT EXISTS ${name} (n INTEGER PRIMARY KEY)`],
  tables: { [name]: 'n' },
  apply,
});
const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('measureReplayCost', () => {
  const heavy = table('heavy', (db, e) => {
    spin(3); // a projection that does much per event (three milliseconds here)
    db.prepare('INSERT OR IGNORE INTO heavy VALUES (?)').run(e.payload.n);
  });
  const light = table('light', (db, e) => void db.prepare('INSERT OR IGNORE INTO light VALUES (?)').run(e.payload.n));
  const idle = table('idle', () => undefined);
  const failing = table('failing', () => {
    throw new Error('row missing: the sample starts mid-log');
  });
  const sample = [
    ...Array.from({ length: 10 }, (_, i) => stored('heavy', i)),
    ...Array.from({ length: 100 }, (_, i) => stored('light', 100 + i)),
    ...Array.from({ length: 5 }, (_, i) => stored('failing', 300 + i)),
  ];

  it('charges what applying costs, not how many events a projection has', () => {
    const cost = measureReplayCost(sample, 0, [heavy, light, idle, failing]);
    expect(cost(heavy)).toBeGreaterThan(30);
    expect(cost(heavy)).toBeGreaterThan(3 * cost(light));
    // nothing in the sample: it still reads the log once
    expect(cost(idle)).toBe(1);
    // an event that fails in the sample is still measured and does not stop the measuring
    expect(cost(failing)).toBeGreaterThan(1);
  });

  it('adds the reading of its events at the rate the sample was read', () => {
    const withoutReading = measureReplayCost(sample, 0, [idle, light]);
    const withReading = measureReplayCost(sample, 115 * 2, [idle, light]); // 2 ms per sampled event
    expect(withReading(light) - withoutReading(light)).toBeGreaterThan(150); // 100 events × 2 ms, less timing noise
    expect(withReading(idle)).toBe(1);
  });
});
