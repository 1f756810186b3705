/**
 * The distributed mode's front door on one port (3000 by default), so the README's curl
 * walkthrough and the agencies' clients keep one base URL: each request goes, unchanged, to the
 * service that owns its path. It holds no state and checks nothing itself — every service still
 * authenticates the caller (X-Api-Key) and validates the input. GET /ready answers 200 only when
 * every service is ready; GET /docs lists each service's OpenAPI page.
 */
'use strict';
const http = require('node:http');

/** Path prefix → service: the controllers' routes of each app. */
const ROUTES = [
  ['/clues', 'intake'],
  ['/referrals', 'police'],
  ['/cases', 'police'],
  ['/supervision', 'police'],
  ['/placements', 'placement'],
  ['/reintegration-referrals', 'placement'],
  ['/assessments', 'assessment'],
  ['/audit', 'audit'],
];

function serviceFor(url) {
  const pathname = url.split('?')[0];
  const route = ROUTES.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  return route?.[1];
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readiness(services) {
  const entries = await Promise.all(
    Object.entries(services).map(async ([name, base]) => {
      try {
        const res = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(5000) });
        return [name, { status: res.status, ...(await res.json()) }];
      } catch (error) {
        return [name, { status: 503, error: String(error) }];
      }
    }),
  );
  const ready = entries.every(([, r]) => r.status === 200);
  return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'starting', services: Object.fromEntries(entries) } };
}

/**
 * Starts the gateway. `services`: { intake: 'http://127.0.0.1:3001', police: …, placement: …,
 * assessment: …, audit: … }. Resolves with { server, url, close() }.
 */
async function startGateway({ services, port = 3000, host = '127.0.0.1' }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer(async (req, res) => {
    const name = serviceFor(req.url);
    if (!name) {
      if (req.method === 'GET' && req.url === '/health') return json(res, 200, { status: 'ok' });
      if (req.method === 'GET' && req.url === '/ready') {
        const { status, body } = await readiness(services);
        return json(res, status, body);
      }
      if (req.method === 'GET' && (req.url === '/docs' || req.url === '/docs/')) {
        return json(res, 200, { services: Object.fromEntries(Object.entries(services).map(([n, base]) => [n, `${base}/docs`])) });
      }
      return json(res, 404, { error: 'NOT_FOUND', message: `no service serves ${req.url.split('?')[0]}` });
    }
    const target = new URL(req.url, services[name]);
    const upstream = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) json(res, 502, { error: 'BAD_GATEWAY', service: name, message: error.message });
      else res.destroy(error);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}`;
  return {
    server,
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
        agent.destroy();
      }),
  };
}

module.exports = { startGateway, ROUTES, serviceFor };
