import { clueStream, deterministicId } from '@atr/contracts';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { IntakeModule } from '../intake.module';
import { REFERRAL_ROUTER } from './referral-router.consumer';
import { bodies, contentHash, createTestApp, KEYS, streamOf, submit, type TestApp } from '../testing/http';

describe('referral and duplicates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([IntakeModule]);
  });
  afterAll(() => t.close());

  it('refers a clue to the police unit of its division, with a hand-off, the deadline and its content', async () => {
    const res = await submit(t, 'school-reports', KEYS.school, bodies.school());
    await t.settle();
    const [submitted, triaged, referred] = await streamOf(t, res.body.clueId);
    expect(referred.type).toBe('ClueReferred');
    expect(referred.payload).toMatchObject({
      referralId: deterministicId('referral', res.body.clueId, '532622'),
      handoff: {
        from: { agencyId: 'yanshan-no1-primary', agencyKind: 'EDUCATION', jurisdiction: '532622' },
        to: { agencyId: 'yanshan-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532622' },
        reason: 'URGENT CHILD_TRAFFICKING clue: child missing; school mandatory report: UNEXPLAINED_DROPOUT',
      },
      acknowledgeBy: res.body.acknowledgeBy,
      summary: submitted.payload.summary,
      details: submitted.payload.details,
    });
    // the journey and the cause flow through; intake acts for the submitter
    expect(referred.correlationId).toBe(res.body.clueId);
    expect(referred.causationId).toBe(triaged.eventId);
    expect(referred.actor).toMatchObject({ agencyId: 'yanshan-no1-primary', role: 'SYSTEM', userId: 'system:intake' });
    const status = await t.request('GET', res.body.statusUrl, { key: KEYS.school });
    expect(status.body).toMatchObject({ status: 'REFERRED', referralId: referred.payload.referralId });
  });

  it('links a second clue with the same content hash to the first instead of referring it', async () => {
    const hash = contentHash(0xabc);
    const first = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: hash, child: undefined }));
    const second = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: hash, child: undefined, url: 'https://example.com/posts/999' }));
    await t.settle();
    const firstEvents = await streamOf(t, first.body.clueId);
    const secondEvents = await streamOf(t, second.body.clueId);
    expect(firstEvents.map((e) => e.type)).toEqual(['ClueSubmitted', 'ClueTriaged', 'ClueReferred']);
    expect(secondEvents.map((e) => e.type)).toEqual(['ClueSubmitted', 'ClueTriaged', 'ClueLinkedAsDuplicate']);
    expect(secondEvents[2].payload).toEqual({
      clueId: second.body.clueId,
      duplicateOf: first.body.clueId,
      matchedOn: [`content:${hash}`],
      referralId: firstEvents[2].payload.referralId,
    });
    const status = await t.request('GET', second.body.statusUrl, { key: KEYS.cyberspace });
    expect(status.body).toMatchObject({ status: 'DUPLICATE', duplicateOf: first.body.clueId, referralId: firstEvents[2].payload.referralId });
  });

  it('links the same child reported by another agency, and a third clue to the first, not to the duplicate', async () => {
    const student = { name: '小芳', birthDate: '2014-01-20', idNumber: '532622201401200025' };
    const a = await submit(t, 'school-reports', KEYS.school, bodies.school({ student: { name: '小芳', birthDate: '2014-01-20' } }));
    const b = await submit(t, 'public-tips', KEYS.publicPortal, bodies.publicTip({ child: student }));
    const c = await submit(t, 'hospital-reports', KEYS.hospital, bodies.hospital({ child: { idNumber: student.idNumber }, birthCertificateNumber: undefined }));
    await t.settle();
    const linkOf = async (id: string) => (await streamOf(t, id))[2];
    expect((await linkOf(a.body.clueId)).type).toBe('ClueReferred');
    expect((await linkOf(b.body.clueId)).payload).toMatchObject({ duplicateOf: a.body.clueId, matchedOn: ['child:小芳|2014-01-20'] });
    // c matches only b (by identity number); b duplicates a, so c is linked to a
    expect((await linkOf(c.body.clueId)).payload).toMatchObject({ duplicateOf: a.body.clueId, matchedOn: ['child-id:532622201401200025'] });
  });

  it('routes clues of one batch side by side, yet links every repeat to the first with its referral', async () => {
    const hash = contentHash(0x5eed);
    // the router is held while they arrive, so all of them reach it in one delivered batch
    const bus = t.app.get<MessageBus>(MESSAGE_BUS);
    await bus.pause(REFERRAL_ROUTER);
    const first = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: hash, child: undefined }));
    const others = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: i % 2 === 0 ? hash : contentHash(0x6000 + i), child: undefined, url: `https://example.com/posts/${7000 + i}` })),
      ),
    );
    bus.resume(REFERRAL_ROUTER);
    await t.settle();
    const referral = (await streamOf(t, first.body.clueId))[2];
    expect(referral.type).toBe('ClueReferred');
    for (const [i, other] of others.entries()) {
      const third = (await streamOf(t, other.body.clueId))[2];
      if (i % 2 === 0) expect(third.payload).toEqual({ clueId: other.body.clueId, duplicateOf: first.body.clueId, matchedOn: [`content:${hash}`], referralId: referral.payload.referralId });
      else expect(third.type).toBe('ClueReferred');
    }
  });

  it('refers the same content once per jurisdiction', async () => {
    const hash = contentHash(0xdef);
    const yanshan = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: hash }));
    const wenshanshi = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: hash, location: { divisionCode: '532601' } }));
    await t.settle();
    expect((await streamOf(t, yanshan.body.clueId))[2].type).toBe('ClueReferred');
    const other = (await streamOf(t, wenshanshi.body.clueId))[2];
    expect(other.type).toBe('ClueReferred');
    expect(other.payload.handoff).toMatchObject({ to: { agencyId: 'wenshanshi-police', jurisdiction: '532601' } });
  });

  it('falls back to the city-level queue when the county has no police unit (532626 → 532600)', async () => {
    const res = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: contentHash(0x532626), location: { divisionCode: '532626' } }));
    expect(res.body.routedTo).toEqual({ agencyId: 'wenshan-prefecture-police', jurisdiction: '532600', queue: 'CITY_FALLBACK' });
    await t.settle();
    const referred = (await streamOf(t, res.body.clueId))[2];
    expect(referred.payload.handoff).toMatchObject({ to: { agencyId: 'wenshan-prefecture-police', agencyKind: 'PUBLIC_SECURITY', jurisdiction: '532600' } });
    expect(referred.payload.location).toEqual({ divisionCode: '532626' });
  });

  it('does not refer twice when the router gets a ClueTriaged again (redelivery)', async () => {
    const res = await submit(t, 'public-tips', KEYS.publicPortal, bodies.publicTip());
    await t.settle();
    const triaged = (await t.store.readStream(clueStream(res.body.clueId)))[1];
    const router = t.app.get((await import('./referral-router.consumer')).ReferralRouter);
    await router.handle(triaged);
    expect((await streamOf(t, res.body.clueId)).map((e) => e.type)).toEqual(['ClueSubmitted', 'ClueTriaged', 'ClueReferred']);
  });
});
