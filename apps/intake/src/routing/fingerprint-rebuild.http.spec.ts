import type { MessageBus } from '@atr/bus';
import type { CheckpointStore } from '@atr/event-store';
import { CommandRunner, READ_MODELS, type ReadModels } from '@atr/platform';
import { IntakeModule } from '../intake.module';
import { bodies, contentHash, createTestApp, KEYS, streamOf, submit, type TestApp } from '../testing/http';
import { ReferralRouter } from './referral-router.consumer';

describe('the referral router’s fingerprint table', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([IntakeModule]);
  });
  afterAll(() => t.close());

  it('is rebuilt from the log when the read-model file lost it, so duplicates are still found', async () => {
    const hash = contentHash(0x5eed);
    const first = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: hash }));
    await t.settle();
    const readModels = t.app.get<ReadModels>(READ_MODELS);
    readModels.db.exec('DELETE FROM intake_fingerprints; DELETE FROM intake_fingerprints_scanned');

    // a router starting on the damaged file (its bus registration is not needed here)
    const idleBus = { consume: () => undefined } as unknown as MessageBus;
    const restarted = new ReferralRouter(idleBus, t.store, t.store as unknown as CheckpointStore, readModels, t.app.get(CommandRunner));
    await restarted.onModuleInit();
    const rows = readModels.db.prepare('SELECT fingerprint, clue_id FROM intake_fingerprints').all();
    expect(rows).toContainEqual({ fingerprint: `content:${hash}`, clue_id: first.body.clueId });

    const second = await submit(t, 'online-content', KEYS.cyberspace, bodies.onlineContent({ contentHash: hash, url: 'https://example.com/again' }));
    await t.settle();
    expect((await streamOf(t, second.body.clueId))[2].payload).toMatchObject({ duplicateOf: first.body.clueId });
  });
});
