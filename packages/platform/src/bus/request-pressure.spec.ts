import { BUSY_CONSUMER_SHARE, BUSY_WAKE_GAP_MS, RequestPressure } from './request-pressure';

describe('RequestPressure', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Whether `promise` settled after the timers advanced by `ms`. */
  async function settledAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
    let settled = false;
    void promise.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(ms);
    return settled;
  }

  it('makes the consumers wait while requests arrive faster than the limit, for their share of the time', async () => {
    const http = new RequestPressure();
    const consumers = new RequestPressure(http.buffer); // the other thread's view of the same memory
    const { pace } = consumers.yielding(300);
    for (let i = 0; i < 50; i++) http.arrived(); // 50 in 100 ms: 500 a second
    await jest.advanceTimersByTimeAsync(100);
    const waited = (20 * (1 - BUSY_CONSUMER_SHARE)) / BUSY_CONSUMER_SHARE; // after a batch of 20 ms
    const pause = pace(20);
    expect(await settledAfter(pause, waited - 1)).toBe(false);
    expect(await settledAfter(pause, 1)).toBe(true);
  });

  it('lets them run freely below the limit, and always when the limit is 0', async () => {
    const http = new RequestPressure();
    const calm = http.yielding(300).pace;
    const never = http.yielding(0).pace;
    for (let i = 0; i < 20; i++) http.arrived(); // 200 a second
    await jest.advanceTimersByTimeAsync(100);
    expect(await settledAfter(calm(20), 0)).toBe(true);
    for (let i = 0; i < 500; i++) http.arrived();
    await jest.advanceTimersByTimeAsync(100);
    expect(await settledAfter(never(20), 0)).toBe(true);
  });

  it('spaces the wakes of the consumer thread store while busy, and only then', async () => {
    const http = new RequestPressure();
    const { wakeGapMs } = new RequestPressure(http.buffer).yielding(300);
    for (let i = 0; i < 20; i++) http.arrived(); // 200 a second
    await jest.advanceTimersByTimeAsync(100);
    expect(wakeGapMs()).toBe(0);
    for (let i = 0; i < 50; i++) http.arrived(); // 500 a second
    await jest.advanceTimersByTimeAsync(100);
    expect(wakeGapMs()).toBe(BUSY_WAKE_GAP_MS);
    await jest.advanceTimersByTimeAsync(100); // nothing arrived since
    expect(wakeGapMs()).toBe(0);
  });
});
