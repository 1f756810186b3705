import type { StoredEvent } from '@atr/contracts';
import type { Projection } from './projection';
import { freshDatabase } from './replay';

/** What replaying each projection over the whole log is estimated to cost (milliseconds, relative). */
export type ReplayCost = (projection: Projection) => number;

/**
 * Measures each projection on a sample of the log: the sample is applied into a throw-away
 * in-memory database, each projection timed on the events of its types, and each is charged
 * the reading of its events at the rate the sample was read (`readMs` for all of it).
 *
 * Counting events alone split the work badly: projections differ threefold in what one event
 * costs (the clue list runs a conditional UPDATE per event, the inbox one INSERT), and the
 * thread given the heavier ones set the time of the whole replay. Events are applied in log
 * order with every projection interleaved, so JIT warm-up is shared out evenly.
 */
export function measureReplayCost(sample: readonly StoredEvent[], readMs: number, projections: readonly Projection[]): ReplayCost {
  const readEach = sample.length > 0 ? readMs / sample.length : 0;
  const measured = new Map(projections.map((p) => [p, { types: new Set(p.types), events: 0, ms: 0 }]));
  const db = freshDatabase(projections);
  try {
    db.transaction(() => {
      for (const event of sample) {
        for (const [projection, m] of measured) {
          if (!m.types.has(event.type)) continue;
          const start = performance.now();
          try {
            projection.apply(db, event);
          } catch {
            // a sample starts mid-log: an event may find what it updates missing; its time still counts
          }
          m.ms += performance.now() - start;
          m.events++;
        }
      }
    })();
  } finally {
    db.close();
  }
  // +1: a projection with no event in the sample still reads the log once
  return (projection) => {
    const m = measured.get(projection);
    return m ? 1 + m.ms + m.events * readEach : 1;
  };
}
