import { writeSync } from 'node:fs';
import type { EventStore } from '../port';
import { newEvents } from './fixtures';

/** One line on stdout per acknowledged append, written only after append() resolved. */
export interface Acknowledgement {
  streamId: string;
  eventIds: string[];
  nextExpectedRevision: number;
  lastPosition: number;
}

export const ACK_PREFIX = 'ACK ';

/**
 * Body of the child process of the durability test: `writers` concurrent loops append 1..3
 * events each to their own stream, as fast as they can, until killed (or `maxAppends`, so a
 * child whose parent died does not run forever).
 */
export async function runDurabilityWriter(
  store: EventStore,
  { writers = 4, maxAppends = 50_000 }: { writers?: number; maxAppends?: number } = {},
): Promise<void> {
  let appends = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const streamId = `durable-${w}`;
      let expected: number | 'no_stream' = 'no_stream';
      for (let k = 0; appends++ < maxAppends; k++) {
        const events = newEvents(1 + (k % 3), {
          type: 'DurabilityProbed',
          payload: { w, k, note: '已确认的事件必须在断电后仍然存在', filler: 'x'.repeat(200) },
        });
        const result = await store.append(streamId, events, expected);
        expected = result.nextExpectedRevision;
        const ack: Acknowledgement = { streamId, eventIds: events.map((e) => e.eventId), ...result };
        writeSync(1, `${ACK_PREFIX}${JSON.stringify(ack)}\n`); // synchronous: no buffered line is lost
      }
    }),
  );
  await store.close();
}
