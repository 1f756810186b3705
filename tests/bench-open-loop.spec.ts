import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The bench's fixed-rate load (infra/bench/lib/open-loop.js) must count the wait of requests
// that came due while the server was stuck; a closed-loop tool would record only the one slow answer.
const { openLoop } = require('../infra/bench/lib/open-loop') as {
  openLoop(options: {
    origin: string; connections: number; rate: number; seconds: number;
    request(i: number): { path: string; headers: Record<string, string>; body: string };
    onResponse(status: number, body: string): void;
  }): Promise<{ requests: number; ok: number; non2xx: number; errors: number; errorSamples: string[];
    latencyMs: { p50: number; p97_5: number; p99: number; max: number }; sendLagMs: { p99: number } }>;
};

describe('bench open-loop load', () => {
  let server: Server;
  let origin: string;
  const seen: number[] = [];

  beforeAll(async () => {
    // answers at once, except request 10, which it holds for 300 ms
    server = createServer((req, res) => {
      const i = Number(req.headers['x-i']);
      seen.push(i);
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(i === 10 ? 201 : 200).end(`{"i":${i}}`), i === 10 ? 300 : 0));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends rate x seconds requests and times each from when it was due, queueing included', async () => {
    const answers: Array<[number, string]> = [];
    const result = await openLoop({
      origin,
      connections: 1, // one connection: the requests due during the stall wait behind it
      rate: 100,
      seconds: 1,
      request: (i) => ({ path: '/', headers: { 'x-i': String(i) }, body: '{}' }),
      onResponse: (status, body) => answers.push([status, body]),
    });

    expect(result).toMatchObject({ requests: 100, ok: 100, non2xx: 0, errors: 0 });
    expect(new Set(seen).size).toBe(100);
    expect(answers.filter(([status]) => status === 201)).toEqual([[201, '{"i":10}']]);
    // requests 11..39 came due during the 300 ms (one every 10 ms) and waited out the rest of it
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(299);
    expect(result.latencyMs.p97_5).toBeGreaterThanOrEqual(250);
    expect(result.latencyMs.p50).toBeLessThan(result.latencyMs.p97_5);
    // open loop: the stall held answers back, not the sending (a closed loop would send 300 ms late)
    expect(result.sendLagMs.p99).toBeLessThan(100);
  });

  it('counts requests that got no answer as errors, with what went wrong', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await openLoop({
      origin: `http://127.0.0.1:${port}`,
      connections: 2,
      rate: 20,
      seconds: 0.25,
      request: () => ({ path: '/', headers: {}, body: '{}' }),
      onResponse: () => undefined,
    });

    expect(result).toMatchObject({ requests: 0, ok: 0, errors: 5 });
    expect(result.errorSamples.length).toBeGreaterThan(0);
    expect(result.errorSamples[0]).toMatch(/ECONNREFUSED|connect/i);
  });

  it('counts an answer the caller cannot use as an error, not as a success', async () => {
    const result = await openLoop({
      origin,
      connections: 2,
      rate: 20,
      seconds: 0.25,
      request: (i) => ({ path: '/', headers: { 'x-i': String(1000 + i) }, body: '{}' }),
      onResponse: (_status, body) => {
        if (JSON.parse(body).i % 2 === 0) throw new Error(`no clueId in ${body}`);
      },
    });

    expect(result).toMatchObject({ requests: 2, ok: 2, errors: 3 });
    expect([...result.errorSamples].sort()).toEqual(['no clueId in {"i":1000}', 'no clueId in {"i":1002}', 'no clueId in {"i":1004}']);
  });
});
