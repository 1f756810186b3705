import { Controller, Get, Module, type Type } from '@nestjs/common';
import { MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createPlatformApp, Endpoint, loadConfig, ManualClock } from '@atr/platform';
import { createTestApp, type TestApp } from '../../../packages/platform/src/testing/test-app';
import { consumersOnThread, httpThreadModule, platformRootModule, SERVICE_MODULES } from './platform.root';

async function untilReady(request: TestApp['request']): Promise<{ status: number; body: any }> {
  for (let i = 0; ; i++) {
    const res = await request('GET', '/ready');
    if (res.status === 200 || i === 100) return res;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the composed platform (all five services in one process)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(SERVICE_MODULES);
  });

  afterAll(() => t.close());

  it('is alive and becomes ready once every consumer has caught up', async () => {
    expect(await t.request('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await untilReady(t.request);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.consumers.length).toBeGreaterThan(0);
  });

  it('documents the routes of every service in one OpenAPI document', async () => {
    const res = await t.request('GET', '/docs/openapi.json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const service of SERVICE_MODULES) {
      const controllers = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, service) ?? []) as Type[];
      expect(controllers.length).toBeGreaterThan(0);
      for (const controller of controllers) {
        const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '').replace(/^\/|\/$/g, '');
        const documented = paths.filter((p) => p === `/${base}` || p.startsWith(`/${base}/`) || base === '');
        expect({ service: service.name, controller: controller.name, documented: documented.length > 0 }).toEqual({
          service: service.name,
          controller: controller.name,
          documented: true,
        });
      }
    }
    expect(paths).toEqual(expect.arrayContaining(['/health', '/ready', '/audit/journeys/{clueId}']));
  });

  it('documents the as-of read of each aggregate alike, in its owning service, and audit points to them', async () => {
    const doc = (await t.request('GET', '/docs/openapi.json')).body;
    const reads = ['/clues/{clueId}/status', '/referrals/{referralId}', '/cases/{caseId}', '/placements/{placementId}', '/assessments/{assessmentId}'];
    for (const path of reads) {
      const read = doc.paths[path].get;
      const query = read.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string; required: boolean }) => [p.name, p.required]);
      expect({ path, query }).toEqual({ path, query: [['asOf', false], ['position', false]] });
      expect(read.description).toMatch(/With `asOf` .* or `position` .*never both: the record as it was then, folded by this service from its own stream/);
      expect(Object.keys(read.responses['200'].content['application/json'].schema.properties)).toEqual(
        expect.arrayContaining(['asOf', 'position', 'evaluatedAt', 'lastPosition']),
      );
      expect(doc.paths['/audit/streams/{streamId}'].get.description).toContain(`GET ${path}`);
    }
    // every read but the clue's (whose auditors are role AUDITOR, as before) admits the AUDITORS rule
    for (const path of reads.slice(1)) {
      expect(doc.paths[path].get.description).toContain('; or roles AUDITOR, SUPERVISOR; agency kinds JOINT_CONFERENCE_OFFICE, PROCURATORATE.');
    }
  });

  it('lets an auditor follow a clue across services and verify every read model by replay', async () => {
    const submitted = await t.request('POST', '/clues/school-reports', {
      key: 'demo-school-reporter',
      body: { sourceReference: 'runner-1', location: { divisionCode: '532622' }, summary: '学生连续两周未到校', childMissing: true, schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } },
    });
    expect(submitted.status).toBeLessThan(300);
    await t.settle();
    const journey = await t.request('GET', `/audit/journeys/${submitted.body.clueId}`, { key: 'demo-jco-auditor' });
    expect(journey.status).toBe(200);
    expect(journey.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['ClueSubmitted', 'ClueReferred', 'ReferralReceived']));
    const referral = journey.body.handoffs.find((h: { type: string }) => h.type === 'ClueReferred');
    expect(referral).toMatchObject({ to: { agencyId: 'yanshan-police' }, receivedBy: { type: 'ReferralReceived' }, waiting: true });
    const replay = await t.request('POST', '/audit/replays', { key: 'demo-procuratorate-auditor' });
    expect(replay.status).toBe(200);
    expect(replay.body.unreadableEvents.count).toBe(0);
    expect(replay.body.projections.length).toBeGreaterThan(1);
    expect(replay.body.projections.filter((p: { equal: boolean }) => !p.equal)).toEqual([]);
    expect(replay.body.equal).toBe(true);
  });

  it('serves the interactive docs', async () => {
    const res = await t.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/html');
  });

  it('answers 413 with the JSON error shape when a body exceeds the limit', async () => {
    const res = await t.request('POST', '/audit/replays', { key: 'demo-jco-auditor', body: { padding: 'x'.repeat(t.config.BODY_LIMIT_BYTES) } });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ statusCode: 413, error: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
  });

  it('echoes a well-formed X-Request-Id and otherwise makes a UUID, unique across restarts', async () => {
    const given = await t.request('GET', '/health', { headers: { 'x-request-id': 'agency-ref.42' } });
    expect(given.headers['x-request-id']).toBe('agency-ref.42');
    const made = await t.request('GET', '/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await t.request('GET', '/no-such-route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
  });
});

describe('platformRootModule', () => {
  it('boots every service on one platform and closes cleanly', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'atr-runner-'));
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEADLINE_CHECK_INTERVAL_MS: '0' });
    const app = await createPlatformApp(platformRootModule(config, { clock: new ManualClock() }), config);
    try {
      await app.init();
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start with the consumers on a worker thread (CONSUMERS=thread)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'atr-runner-thread-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEADLINE_CHECK_INTERVAL_MS: '0' });
  const crashes: Error[] = [];
  let app: Awaited<ReturnType<typeof createPlatformApp>>;
  const request = async (method: 'GET' | 'POST', url: string, key?: string, body?: object) => {
    const res = await app.inject({ method, url, headers: key ? { 'x-api-key': key } : {}, ...(body ? { payload: body } : {}) });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    app = await createPlatformApp(httpThreadModule(config, (error) => crashes.push(error)), config);
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is the default on the embedded store and bus, and only there', () => {
    expect(consumersOnThread(config)).toBe(true);
    expect(consumersOnThread(loadConfig({ CONSUMERS: 'inline' }))).toBe(false);
    expect(consumersOnThread(loadConfig({ BUS: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092' }))).toBe(false);
  });

  it('hands a clue over to the police on the worker thread and reports its consumers from there', async () => {
    const submitted = await request('POST', '/clues/school-reports', 'demo-school-reporter', {
      sourceReference: 'thread-1', location: { divisionCode: '532622' }, summary: '学生连续两周未到校', childMissing: true, schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' },
    });
    expect(submitted.status).toBe(201);
    let journey: { status: number; body: any } = { status: 0, body: null };
    for (let i = 0; i < 200; i++) {
      journey = await request('GET', `/audit/journeys/${submitted.body.clueId}`, 'demo-jco-auditor');
      if (journey.body?.events?.some((e: { type: string }) => e.type === 'ReferralReceived')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(journey.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['ClueSubmitted', 'ClueTriaged', 'ClueReferred', 'ReferralReceived']));
    // the police inbox is a read model the worker thread writes and this thread reads
    const inbox = await request('GET', '/referrals', 'demo-yanshan-police-officer');
    expect(inbox.status).toBe(200);
    expect(JSON.stringify(inbox.body)).toContain(submitted.body.clueId);
    const ready = await request('GET', '/ready');
    expect(ready.body.consumers.map((c: { group: string }) => c.group)).toEqual(expect.arrayContaining(['intake:referral-router', 'police:inbox', 'read-model:police_inbox']));
    expect(ready.body.consumers.every((c: { caughtUp: boolean }) => c.caughtUp)).toBe(true);
    // the submission's durable commit, timed on the commit thread
    expect(ready.body.commits.commits).toBeGreaterThan(0);
    expect(ready.body.commits.buckets.at(-1).count).toBeLessThanOrEqual(ready.body.commits.commits);
    expect(ready.body.commits.maxMs).toBeGreaterThan(0);
  });

  it('pauses the worker thread\'s read models for a replay and finds them equal to the log', async () => {
    const replay = await request('POST', '/audit/replays', 'demo-procuratorate-auditor');
    expect(replay.status).toBe(200);
    expect(replay.body.projections.length).toBeGreaterThan(1);
    expect(replay.body.projections.filter((p: { equal: boolean }) => !p.equal)).toEqual([]);
    // written on the worker thread, rebuilt and compared on this one
    expect(replay.body.projections.find((p: { projection: string }) => p.projection === 'police_inbox')).toMatchObject({ equal: true, eventsApplied: 1 });
    expect(crashes).toEqual([]);
  });
});

/** Polls until the server stops accepting connections (it first stops the consumers). */
async function refusesConnections(url: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

describe('graceful shutdown', () => {
  let release!: () => void;
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const gate = new Promise<void>((r) => (release = r));

  @Controller('test-slow')
  class SlowController {
    @Get()
    @Endpoint({ summary: 'A request that takes its time', allow: 'public' })
    async slow() {
      entered();
      await gate;
      return { finished: true };
    }
  }
  @Module({ controllers: [SlowController] })
  class SlowModule {}

  it('finishes a request in flight before the process closes, and refuses new connections meanwhile', async () => {
    const t = await createTestApp([SlowModule]);
    await t.app.listen(0, '127.0.0.1');
    const url = await t.app.getUrl();
    const inFlight = fetch(`${url}/test-slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await inside;
    const closing = t.close();
    expect(await refusesConnections(`${url}/health`)).toBe(true);
    release();
    expect(await inFlight).toEqual({ status: 200, body: { finished: true } });
    await closing;
  });
});
