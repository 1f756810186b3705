import { IntakeModule } from '../intake.module';
import { bodies, createTestApp, expectNothingAppended, freshKey, KEYS, streamOf, submit, type TestApp } from '../testing/http';

describe('clue submission over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([IntakeModule]);
  });
  afterAll(() => t.close());

  it.each([
    ['online-content', KEYS.cyberspace, bodies.onlineContent(), 'CHILD_TRAFFICKING', 'HIGH'],
    ['hospital-reports', KEYS.hospital, bodies.hospital(), 'CHILD_TRAFFICKING', 'HIGH'],
    ['school-reports', KEYS.school, bodies.school(), 'CHILD_TRAFFICKING', 'URGENT'],
    ['civil-registrations', KEYS.civilAffairs, bodies.civilRegistration(), 'WOMAN_TRAFFICKING', 'NORMAL'],
    ['public-tips', KEYS.publicPortal, bodies.publicTip(), 'OTHER', 'NORMAL'],
  ])('POST /clues/%s accepts its source and answers 201 with the triage', async (path, key, body, category, priority) => {
    const res = await submit(t, path, key, body);
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    const minutes = { URGENT: 15, HIGH: 240, NORMAL: 3 * 24 * 60 }[priority as 'URGENT'];
    expect(res.body).toEqual({
      clueId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'RECEIVED',
      category,
      priority,
      acknowledgeBy: new Date(t.clock.now().getTime() + minutes * 60_000).toISOString(),
      routedTo: { agencyId: 'yanshan-police', jurisdiction: '532622', queue: 'UNIT' },
      statusUrl: `/clues/${res.body.clueId}/status`,
    });
    const events = await streamOf(t, res.body.clueId);
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['ClueSubmitted', 'ClueTriaged']);
    expect(events[0].globalPosition + 1).toBe(events[1].globalPosition); // one append
  });

  it('takes the submitting agency from the API key, not from the body', async () => {
    const res = await submit(t, 'school-reports', KEYS.school, bodies.school());
    const [submitted] = await streamOf(t, res.body.clueId);
    expect(submitted.payload.submittedBy).toEqual({ agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622' });
    expect(submitted.actor).toMatchObject({ agencyId: 'yanshan-no1-primary', userId: 'clerk-yang', role: 'REPORTER' });
    const forged = await expectNothingAppended(t, () => submit(t, 'school-reports', KEYS.school, bodies.school({ submittedBy: { agencyId: 'x' } })));
    expect(forged.status).toBe(400);
    expect(forged.body.issues[0]).toMatchObject({ code: 'unrecognized_keys' });
  });

  it('round-trips Chinese text and emoji byte-exact, in the store and in the status', async () => {
    const summary = '学生小明（10岁）连续两周未到校 🙏👧🏻，家长称“已送往外地”——请核查';
    const res = await submit(t, 'school-reports', KEYS.school, bodies.school({ summary }));
    const [submitted] = await streamOf(t, res.body.clueId);
    expect(Buffer.from(submitted.payload.summary as string, 'utf8').equals(Buffer.from(summary, 'utf8'))).toBe(true);
    const status = await t.request('GET', res.body.statusUrl, { key: KEYS.school });
    expect(status.body.summary).toBe(summary);
  });

  describe('idempotency', () => {
    it('replays the same body for the same key: same clue, 200, Idempotent-Replayed, no new event', async () => {
      const key = freshKey();
      const first = await submit(t, 'school-reports', KEYS.school, bodies.school(), key);
      await t.settle();
      const head = await t.store.headPosition();
      const count = (await streamOf(t, first.body.clueId)).length;
      t.clock.advanceMinutes(3); // a later retry still gets the original answer
      const again = await submit(t, 'school-reports', KEYS.school, bodies.school(), key);
      await t.settle();
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await streamOf(t, first.body.clueId)).length).toBe(count);
      expect(await t.store.headPosition()).toBe(head);
    });

    it('uses sourceReference as the key when no Idempotency-Key header is sent', async () => {
      const body = bodies.hospital({ sourceReference: `HIS-${freshKey()}` });
      const first = await submit(t, 'hospital-reports', KEYS.hospital, body, null);
      const again = await submit(t, 'hospital-reports', KEYS.hospital, body, null);
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(again.body.clueId).toBe(first.body.clueId);
    });

    it('refuses a different body under a used key with 422 IDEMPOTENCY_KEY_REUSED, appending nothing', async () => {
      const key = freshKey();
      await submit(t, 'school-reports', KEYS.school, bodies.school(), key);
      const res = await expectNothingAppended(t, () => submit(t, 'school-reports', KEYS.school, bodies.school({ summary: '另一件事' }), key));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ error: 'RULE_VIOLATION', rule: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('keeps keys per agency: the same key from another agency is another clue', async () => {
      const key = freshKey();
      const a = await submit(t, 'public-tips', KEYS.publicPortal, bodies.publicTip(), key);
      const b = await submit(t, 'hospital-reports', KEYS.hospital, bodies.hospital(), key);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.clueId).not.toBe(b.body.clueId);
    });

    it('ends racing duplicates the same way: one 201, one replay, one clue', async () => {
      const key = freshKey();
      const body = bodies.school({ student: { name: '小刚', birthDate: '2015-09-09' } }); // a child no other test reports
      const results = await Promise.all([1, 2, 3].map(() => submit(t, 'school-reports', KEYS.school, body, key)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
      expect(new Set(results.map((r) => r.body.clueId)).size).toBe(1);
      await t.settle();
      const types = (await streamOf(t, results[0].body.clueId)).map((e) => e.type);
      expect(types).toEqual(['ClueSubmitted', 'ClueTriaged', 'ClueReferred']);
    });

    it('ends a race of different bodies under one key with one clue and a 422', async () => {
      const key = freshKey();
      const results = await Promise.all([
        submit(t, 'school-reports', KEYS.school, bodies.school(), key),
        submit(t, 'school-reports', KEYS.school, bodies.school({ summary: '不同的内容' }), key),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    });

    it('asks for Idempotency-Key when neither it nor sourceReference is given (400)', async () => {
      const res = await expectNothingAppended(t, () => submit(t, 'public-tips', KEYS.publicPortal, bodies.publicTip(), null));
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([expect.objectContaining({ path: 'Idempotency-Key', code: 'required' })]);
    });

    it('refuses a malformed Idempotency-Key (400)', async () => {
      const res = await expectNothingAppended(t, () => submit(t, 'public-tips', KEYS.publicPortal, bodies.publicTip(), 'has spaces in it'));
      expect(res.status).toBe(400);
      expect(res.body.issues[0].path).toBe('Idempotency-Key');
    });
  });
});
