import { IntakeModule } from './intake.module';
import { createTestApp, type TestApp } from './testing/http';

describe('intake OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([IntakeModule]);
  });
  afterAll(() => t.close());

  it('documents every route with its access rule, body schema and Idempotency-Key', async () => {
    const doc = (await t.request('GET', '/docs/openapi.json')).body;
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/clues'));
    expect(paths.sort()).toEqual([
      '/clues',
      '/clues/civil-registrations',
      '/clues/hospital-reports',
      '/clues/online-content',
      '/clues/public-tips',
      '/clues/school-reports',
      '/clues/{clueId}/information',
      '/clues/{clueId}/status',
    ]);
    const online = doc.paths['/clues/online-content'].post;
    expect(online.description).toContain('Allowed: roles REPORTER; agency kinds CYBERSPACE.');
    expect(online.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    const body = online.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['location', 'summary', 'contentHash', 'contentKind']));
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(online.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '422']));
  });
});
