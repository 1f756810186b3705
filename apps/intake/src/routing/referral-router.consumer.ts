import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { clueStream, ClueTriaged, readEvent, type StoredEvent } from '@atr/contracts';
import { readAllInBatches, type CheckpointStore, type EventStore } from '@atr/event-store';
import { CHECKPOINT_STORE, CommandRunner, EVENT_STORE, partyOf, READ_MODELS, ReadModels, systemActor } from '@atr/platform';
import { clueDecider, type ClueCommand } from '../clue/clue.decider';
import { FingerprintTable } from './fingerprint-table';

export const REFERRAL_ROUTER = 'intake:referral-router';

/**
 * Refers each triaged clue to police, or links it to the earlier clue it repeats.
 *
 * The fingerprint table is owned by this consumer, not a registered projection: the duplicate
 * decision must see the fingerprints of every earlier clue, and only a table written by the
 * router itself, just before it decides, in the global order it receives ClueTriaged, gives that
 * without a race (a projection is another consumer group and may lag behind). It is rebuilt by
 * replay all the same: on start-up the router re-reads the ClueTriaged events it has already
 * passed but the table lacks (a lost or rolled-back read-model file).
 */
@Injectable()
export class ReferralRouter implements OnModuleInit {
  private table!: FingerprintTable;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly runner: CommandRunner,
  ) {}

  async onModuleInit(): Promise<void> {
    this.table = new FingerprintTable(this.readModels.db);
    await this.rebuild();
    this.bus.consume({ group: REFERRAL_ROUTER, types: [ClueTriaged.type] }, (event) => this.handle(event));
  }

  async handle(stored: StoredEvent): Promise<void> {
    const { clueId, fingerprints, routedTo } = readEvent(ClueTriaged, stored).payload;
    this.table.record(fingerprints, routedTo.jurisdiction, clueId, stored.globalPosition);
    const command: ClueCommand = { type: 'RouteClue', duplicate: await this.duplicateOf(fingerprints, routedTo.jurisdiction, clueId, stored.globalPosition) };
    // The submitting agency's side of the hand-off: intake refers on its behalf.
    const actor = systemActor(partyOf(stored.actor), 'intake');
    await this.runner.react(clueStream(clueId), clueDecider, command, stored, actor, REFERRAL_ROUTER);
  }

  /** A duplicate is linked to the first clue: when the match is itself a duplicate, to what it duplicates. */
  private async duplicateOf(fingerprints: string[], jurisdiction: string, clueId: string, position: number) {
    const match = this.table.earliestMatch(fingerprints, jurisdiction, clueId, position);
    if (!match) return undefined;
    const { state } = await this.runner.load(clueStream(match.clueId), clueDecider);
    if (state.duplicate) return { of: state.duplicate.of, matchedOn: match.matchedOn, referralId: state.duplicate.referralId };
    return { of: match.clueId, matchedOn: match.matchedOn, referralId: state.referral?.referralId ?? null };
  }

  private async rebuild(): Promise<void> {
    const checkpoint = await this.checkpoints.load(REFERRAL_ROUTER);
    const known = this.table.knownUpTo();
    if (known >= checkpoint) return;
    for await (const batch of readAllInBatches(this.store, { after: known, upTo: checkpoint, batchSize: 2000 })) {
      for (const event of batch) {
        if (event.type !== ClueTriaged.type) continue;
        const { clueId, fingerprints, routedTo } = readEvent(ClueTriaged, event).payload;
        this.table.record(fingerprints, routedTo.jurisdiction, clueId, event.globalPosition);
      }
    }
    this.table.markScanned(checkpoint);
  }
}
