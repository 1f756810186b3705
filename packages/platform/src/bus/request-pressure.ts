import { DEFAULT_POLL_INTERVAL_MS } from '@atr/event-store';

/**
 * While the HTTP thread is busy, each consumer group works at most this share of its time (and
 * always at least it): after a batch it rests (1 - share) / share times as long as the batch took.
 * On 2 cores a twelfth gave a p99 of 44 and 53 ms where a sixth gave 59 and 64 ms; the backlog
 * of a 10 s burst then drains in about 20 s instead of 13.
 */
export const BUSY_CONSUMER_SHARE = 1 / 12;
const SAMPLE_MS = 100;
/**
 * While busy, the consumers look at the log at most this often: as often as a sleeping
 * subscription polls anyway, so a longer gap would change nothing.
 */
export const BUSY_WAKE_GAP_MS = DEFAULT_POLL_INTERVAL_MS;

export interface ConsumerYield {
  pace(handledMs: number): Promise<void>;
  wakeGapMs(): number;
}

/**
 * How hard the HTTP thread is pressed, shared with the consumer thread: the HTTP thread counts
 * requests into shared memory (one atomic add each), the consumer thread turns the count into a
 * rate. A counter cannot drift the way an in-flight gauge could when a request is aborted.
 */
export class RequestPressure {
  readonly buffer: SharedArrayBuffer;
  private readonly count: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.buffer = buffer;
    this.count = new Int32Array(buffer);
  }

  /** On the HTTP thread, once per request. */
  arrived(): void {
    Atomics.add(this.count, 0, 1);
  }

  /**
   * On the consumer thread: how the consumers yield while requests arrive faster than
   * `busyAbove` a second (0: never). Below that rate they keep up and run freely; above it they
   * would fall behind anyway, so submissions are accepted first and hand-offs catch up after
   * the burst.
   * - `pace`, after a batch that took `handledMs`, waits so that each group takes at most
   *   BUSY_CONSUMER_SHARE of its time;
   * - `wakeGapMs` is the store's least time between two wakes (SqliteEventStore wakeGapMs): at
   *   1,000 submissions/s about 650 commits a second each woke every group to read the log
   *   (28 % of the consumer thread's time); while busy they look once per BUSY_WAKE_GAP_MS.
   */
  yielding(busyAbove: number): ConsumerYield {
    let last = Atomics.load(this.count, 0);
    let lastAt = performance.now();
    let rate = 0;
    const sampler = setInterval(() => {
      const now = Atomics.load(this.count, 0);
      const at = performance.now();
      // over the time that really passed: on a busy consumer thread the timer fires late
      rate = (((now - last) | 0) * 1000) / Math.max(1, at - lastAt); // | 0: the counter may wrap
      last = now;
      lastAt = at;
    }, SAMPLE_MS);
    sampler.unref();
    const busy = () => busyAbove > 0 && rate > busyAbove;
    return {
      pace: async (handledMs) => {
        if (!busy() || handledMs <= 0) return;
        await new Promise((resolve) => setTimeout(resolve, (handledMs * (1 - BUSY_CONSUMER_SHARE)) / BUSY_CONSUMER_SHARE));
      },
      wakeGapMs: () => (busy() ? BUSY_WAKE_GAP_MS : 0),
    };
  }
}
