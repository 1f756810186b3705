'use strict';
// A fixed-rate load that does not wait for the server (open loop): request i is due at
// start + i / rate whatever happened before it, as submissions from many agencies arrive.
//
// Why not autocannon's overallRate:
// - it is not a steady rate: each connection sends back to back until it has made its share
//   for the current second, then waits for the next second, so at 1,000/s over 32 connections
//   the server gets its full speed for about two thirds of every second and nothing after;
// - its coordinated-omission correction uses an expected interval of Math.ceil(1 / rate) with
//   rate in requests per second and latencies in ms: 1 ms instead of 32, so a response of L ms
//   is recorded L times (L, L-1, ..., 1) and the percentiles are no longer those of requests.
const hdr = require('hdr-histogram-js');
const { Pool } = require('undici');

/**
 * Sends `rate` requests a second for `seconds` over up to `connections` keep-alive connections.
 * A request's latency runs from when it was due, not from when a connection took it: the time a
 * caller arriving then would wait for a free connection counts (no coordinated omission).
 * `request(i)` gives the i-th request ({ path, headers, body }); `onResponse(status, body)` sees each answer.
 */
async function openLoop({ origin, connections, rate, seconds, request, onResponse }) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  const latencyUs = histogram();
  // how late this process sent each request (its own event loop, on the cores it shares with the server)
  const sendLagUs = histogram();
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const statusCodes = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const errorSamples = [];
  const answers = [];
  const start = performance.now();

  const send = (i) => {
    const due = start + i * intervalMs;
    sendLagUs.recordValue(Math.max(1, Math.round((performance.now() - due) * 1000)));
    const { path, headers, body } = request(i);
    answers.push(
      pool
        .request({ path, method: 'POST', headers, body })
        .then(async (res) => {
          const text = await res.body.text();
          latencyUs.recordValue(Math.max(1, Math.round((performance.now() - due) * 1000)));
          onResponse(res.statusCode, text);
          statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 200 && res.statusCode <= 299) ok++;
          else non2xx++;
        })
        // no answer, a broken one, or one onResponse refused: an error of the run, with its reason
        .catch((error) => {
          if (errors++ < 3) errorSamples.push(String(error?.message ?? error));
        }),
    );
  };

  await new Promise((resolve) => {
    let sent = 0;
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) send(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(answers);
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  return { seconds: elapsed, requests: ok + non2xx, ok, non2xx, errors, errorSamples, statusCodes, requestsPerSec: ok / elapsed, latencyMs: percentilesMs(latencyUs), sendLagMs: percentilesMs(sendLagUs) };
}

const ms = (us) => Math.round(us / 100) / 10;

function percentilesMs(h) {
  if (h.totalCount === 0) return { p50: null, p97_5: null, p99: null, max: null, mean: null };
  return { p50: ms(h.getValueAtPercentile(50)), p97_5: ms(h.getValueAtPercentile(97.5)), p99: ms(h.getValueAtPercentile(99)), max: ms(h.maxValue), mean: ms(h.mean) };
}

module.exports = { openLoop };
