import { IntakeModule } from '../intake.module';
import { bodies, createTestApp, expectNothingAppended, KEYS, submit, type TestApp } from '../testing/http';

describe('intake refusals over HTTP (and nothing reaches the store)', () => {
  let t: TestApp;
  let clueId: string;
  beforeAll(async () => {
    t = await createTestApp([IntakeModule]);
    clueId = (await submit(t, 'school-reports', KEYS.school, bodies.school())).body.clueId;
  });
  afterAll(() => t.close());

  describe('who may submit what', () => {
    it.each([
      ['a school cannot post an online-content clue', 'online-content', KEYS.school, bodies.onlineContent()],
      ['a hospital cannot post a school report', 'school-reports', KEYS.hospital, bodies.school()],
      ['the cyberspace office cannot post a public tip', 'public-tips', KEYS.cyberspace, bodies.publicTip()],
      ['a police officer cannot submit', 'public-tips', KEYS.police, bodies.publicTip()],
      ['a hospital assessor (not a reporter) cannot submit', 'hospital-reports', KEYS.hospitalAssessor, bodies.hospital()],
      ['a social worker (not a reporter) cannot submit', 'civil-registrations', KEYS.socialWorker, bodies.civilRegistration()],
    ])('%s (403)', async (_name, path, key, body) => {
      const res = await expectNothingAppended(t, () => submit(t, path, key, body));
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('FORBIDDEN');
    });

    it('refuses an unknown or missing API key (401)', async () => {
      const res = await expectNothingAppended(t, () => submit(t, 'public-tips', 'not-a-key', bodies.publicTip()));
      expect(res.status).toBe(401);
      const none = await expectNothingAppended(t, () => t.request('POST', '/clues/public-tips', { body: bodies.publicTip() }));
      expect(none.status).toBe(401);
    });
  });

  describe('bad input names the field (400)', () => {
    it.each([
      ['a bad division code', 'school-reports', KEYS.school, bodies.school({ location: { divisionCode: '12345' } }), 'location.divisionCode'],
      ['a missing division code', 'school-reports', KEYS.school, bodies.school({ location: {} }), 'location.divisionCode'],
      ['a malformed content hash', 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: 'md5:abc' }), 'contentHash'],
      ['an unknown content kind', 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentKind: 'SPAM' }), 'contentKind'],
      ['a bad attachment digest', 'online-content', KEYS.cyberspace, bodies.onlineContent({ attachments: [{ fileName: 'a.jpg', mediaType: 'image/jpeg', sizeBytes: 1, sha256: 'xyz' }] }), 'attachments.0.sha256'],
      ["a bad child's birth date", 'public-tips', KEYS.publicPortal, bodies.publicTip({ child: { birthDate: '2020-13-40' } }), 'child.birthDate'],
      ['an empty summary', 'hospital-reports', KEYS.hospital, bodies.hospital({ summary: '   ' }), 'summary'],
      ['a missing student', 'school-reports', KEYS.school, bodies.school({ student: undefined }), 'student'],
      ['a field of another source', 'public-tips', KEYS.publicPortal, bodies.publicTip({ contentHash: 'sha256:' + 'a'.repeat(64) }), ''],
      ['a source field in `details`', 'public-tips', KEYS.publicPortal, { ...bodies.publicTip(), details: { channel: 'WEB' } }, ''],
    ])('%s → %s', async (_name, path, key, body, field) => {
      const res = await expectNothingAppended(t, () => submit(t, path, key, body));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    });

    it('refuses malformed JSON (400)', async () => {
      const res = await expectNothingAppended(t, () =>
        t.app.inject({ method: 'POST', url: '/clues/public-tips', headers: { 'x-api-key': KEYS.publicPortal, 'content-type': 'application/json', 'idempotency-key': 'k-bad-json' }, payload: '{"summary":' }),
      );
      expect(res.statusCode).toBe(400);
    });

    it('refuses a body larger than BODY_LIMIT_BYTES (413)', async () => {
      const huge = bodies.publicTip({ summary: '大'.repeat(Math.ceil(t.config.BODY_LIMIT_BYTES / 3) + 10) });
      const res = await expectNothingAppended(t, () => submit(t, 'public-tips', KEYS.publicPortal, huge));
      expect(res.status).toBe(413);
    });
  });

  describe('who may read a clue', () => {
    it.each([
      ['the submitting reporter', KEYS.school, 200],
      ['the joint-conference office auditor of the city', KEYS.jcoAuditor, 200],
      ['the procuratorate auditor of the city', KEYS.procuratorateAuditor, 200],
      ['another agency (a hospital)', KEYS.hospital, 404],
      ['a police officer (police have their own inbox)', KEYS.police, 404],
      ['the joint-conference office supervisor (not an auditor)', KEYS.jcoSupervisor, 404],
    ])('%s → %s', async (_name, key, status) => {
      const res = await t.request('GET', `/clues/${clueId}/status`, { key });
      expect(res.status).toBe(status);
      if (status === 404) expect(res.body.message).not.toContain('学生');
    });

    it('answers 404 for an unknown clue and 400 for a malformed id', async () => {
      expect((await t.request('GET', '/clues/7d9f1c7e-4a5b-4c1d-9e2f-0a1b2c3d4e5f/status', { key: KEYS.school })).status).toBe(404);
      const bad = await t.request('GET', '/clues/not-a-uuid/status', { key: KEYS.school });
      expect(bad.status).toBe(400);
      expect(bad.body.issues[0].path).toBe('clueId');
    });

    it('lists only the caller agency’s own clues', async () => {
      await t.settle();
      const mine = await t.request('GET', '/clues', { key: KEYS.school });
      expect(mine.body.items.map((i: { clueId: string }) => i.clueId)).toContain(clueId);
      const theirs = await t.request('GET', '/clues', { key: KEYS.hospital });
      expect(theirs.status).toBe(200);
      expect(theirs.body.items).toEqual([]);
      expect((await t.request('GET', '/clues', { key: KEYS.police })).status).toBe(403);
    });
  });

  describe('answering police questions', () => {
    it('refuses another agency (404) and a police officer (403), appending nothing', async () => {
      const body = { requestId: '2d9c8e3a-4b5f-4a7b-8c1d-2e3f4a5b6c7d', answer: '外婆' };
      const other = await expectNothingAppended(t, () => t.request('POST', `/clues/${clueId}/information`, { key: KEYS.publicPortal, body }));
      expect(other.status).toBe(404);
      const police = await expectNothingAppended(t, () => t.request('POST', `/clues/${clueId}/information`, { key: KEYS.police, body }));
      expect(police.status).toBe(403);
    });

    it('refuses an answer to a request that does not exist (409)', async () => {
      const body = { requestId: '2d9c8e3a-4b5f-4a7b-8c1d-2e3f4a5b6c7d', answer: '外婆' };
      const res = await expectNothingAppended(t, () => t.request('POST', `/clues/${clueId}/information`, { key: KEYS.school, body }));
      expect(res.status).toBe(409);
      expect(res.body.rule).toBe('INFORMATION_REQUEST_NOT_FOUND');
    });

    it('names the bad field of an answer (400)', async () => {
      const res = await expectNothingAppended(t, () => t.request('POST', `/clues/${clueId}/information`, { key: KEYS.school, body: { requestId: 'x', answer: '' } }));
      expect(res.status).toBe(400);
      expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['answer', 'requestId']);
    });
  });
});
