import { Body, Controller, Get, Inject, Module, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { newId, type Actor } from '@atr/contracts';
import type { EventStore } from '@atr/event-store';
import { CurrentActor, Endpoint } from '../auth/endpoint';
import { RuleViolation } from '../domain/errors';
import { createTestApp, type TestApp } from '../testing/test-app';
import { EVENT_STORE } from '../tokens';

const Note = z.object({ text: z.string().min(1), child: z.object({ birthDate: z.iso.date() }).strict().optional() }).strict();

@Controller('notes')
class NotesController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Post()
  @Endpoint({ summary: 'Write a note', tags: ['test'], allow: { roles: ['REPORTER'], kinds: ['EDUCATION'] }, body: Note, status: 201 })
  async write(@Body() body: z.infer<typeof Note>, @CurrentActor() actor: Actor) {
    if (body.text === 'forbidden') throw new RuleViolation('NO_FORBIDDEN_NOTES', 'that note breaks a rule', 422);
    return { text: body.text, agencyId: actor.agencyId };
  }

  @Get(':id')
  @Endpoint({ summary: 'Read a note', tags: ['test'], allow: { roles: ['REPORTER', 'OFFICER'] }, params: z.object({ id: z.uuid() }) })
  read(@Param('id') id: string) {
    return { id, head: this.store.headPosition() };
  }

  @Get(':id/history')
  @Endpoint({
    summary: 'Read the history of a note',
    tags: ['test'],
    allow: [{ roles: ['REPORTER'], kinds: ['EDUCATION'] }, { roles: ['AUDITOR'], kinds: ['JOINT_CONFERENCE_OFFICE'] }],
    params: z.object({ id: z.uuid() }),
  })
  history(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return { id, agencyId: actor.agencyId };
  }

  @Get()
  undeclared() {
    return { leaked: true };
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

describe('Endpoint: access, validation and errors at the HTTP boundary', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([NotesModule], { BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(() => t.close());

  it('refuses a request without a key or with an unknown key (401)', async () => {
    expect((await t.request('POST', '/notes', { body: { text: 'x' } })).status).toBe(401);
    const unknown = await t.request('POST', '/notes', { key: 'guess', body: { text: 'x' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('UNAUTHENTICATED');
  });

  it('refuses a caller of the wrong agency kind or role (403), before validating', async () => {
    const police = await t.request('POST', '/notes', { key: 'demo-yanshan-police-officer', body: {} });
    expect(police.status).toBe(403);
    expect(police.body.message).toMatch(/PUBLIC_SECURITY/);
  });

  it('accepts the bearer form of the key and binds the actor', async () => {
    const ok = await t.request('POST', '/notes', { headers: { authorization: 'Bearer demo-school-reporter' }, body: { text: '学生失学' } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ text: '学生失学', agencyId: 'yanshan-no1-primary' });
  });

  it('names each bad field path and its problem (400)', async () => {
    const bad = await t.request('POST', '/notes', { key: 'demo-school-reporter', body: { text: '', child: { birthDate: '2015-13-40' }, extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('VALIDATION_FAILED');
    const paths = bad.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['text', 'child.birthDate', '']));
    expect(JSON.stringify(bad.body.issues)).toMatch(/extra/);
  });

  it('refuses malformed JSON and oversized bodies with the JSON error shape', async () => {
    const malformed = await t.app.inject({ method: 'POST', url: '/notes', headers: { 'x-api-key': 'demo-school-reporter', 'content-type': 'application/json' }, payload: '{"text":' });
    expect(malformed.statusCode).toBe(400);
    const big = await t.request('POST', '/notes', { key: 'demo-school-reporter', body: { text: '拐'.repeat(3000) } });
    expect(big.status).toBe(413);
    expect(big.body.statusCode).toBe(413);
  });

  it('maps a broken rule to its status with the rule name', async () => {
    const res = await t.request('POST', '/notes', { key: 'demo-school-reporter', body: { text: 'forbidden' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'RULE_VIOLATION', rule: 'NO_FORBIDDEN_NOTES' });
  });

  it('validates path parameters', async () => {
    expect((await t.request('GET', '/notes/not-a-uuid', { key: 'demo-school-reporter' })).status).toBe(400);
    expect((await t.request('GET', `/notes/${newId()}`, { key: 'demo-yanshan-police-officer' })).status).toBe(200);
  });

  it('admits a caller matching any one of several rules, and names what did not match', async () => {
    const url = `/notes/${newId()}/history`;
    expect((await t.request('GET', url, { key: 'demo-school-reporter' })).body.agencyId).toBe('yanshan-no1-primary');
    expect((await t.request('GET', url, { key: 'demo-jco-auditor' })).body.agencyId).toBe('wenshan-joint-conference-office');
    // a kind of one rule with the role of the other is not enough: the rules do not mix
    const supervisor = await t.request('GET', url, { key: 'demo-jco-supervisor' });
    expect(supervisor.status).toBe(403);
    expect(supervisor.body.message).toBe('role SUPERVISOR of a JOINT_CONFERENCE_OFFICE agency may not read the history of a note');
    const police = await t.request('GET', url, { key: 'demo-yanshan-police-officer' });
    expect(police.status).toBe(403);
    expect(police.body.message).toBe('agencies of kind PUBLIC_SECURITY may not read the history of a note');
    const doc = (await t.request('GET', '/docs/openapi.json')).body;
    expect(doc.paths['/notes/{id}/history'].get.description).toContain(
      'Allowed: roles REPORTER; agency kinds EDUCATION; or roles AUDITOR; agency kinds JOINT_CONFERENCE_OFFICE.',
    );
  });

  it('denies a route that declares no access rule (deny by default)', async () => {
    const res = await t.request('GET', '/notes', { key: 'demo-school-reporter' });
    expect(res.status).toBe(403);
    expect(res.body.leaked).toBeUndefined();
  });

  it('serves health publicly and documents routes with their schemas at /docs', async () => {
    expect((await t.request('GET', '/health')).body).toEqual({ status: 'ok' });
    const doc = (await t.request('GET', '/docs/openapi.json')).body;
    expect(doc.paths['/notes'].post.requestBody.content['application/json'].schema.properties.text).toBeDefined();
    expect(doc.paths['/notes/{id}'].get.description).toMatch(/REPORTER, OFFICER/);
  });
});
