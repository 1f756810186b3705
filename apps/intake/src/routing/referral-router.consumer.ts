import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HANDOFF_CONCURRENCY, MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { clueStream, ClueTriaged, readEvent, type StoredEvent } from '@atr/contracts';
import { readAllInBatches, type CheckpointStore, type EventStore } from '@atr/event-store';
import { CHECKPOINT_STORE, CommandRunner, EVENT_STORE, partyOf, READ_MODELS, ReadModels, systemActor } from '@atr/platform';
import { clueDecider, type ClueCommand } from '../clue/clue.decider';
import { FingerprintTable, type FingerprintMatch } from './fingerprint-table';

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
 *
 * Clues are routed side by side (their appends share group commits instead of paying one fsync
 * each). That stays exact because each clue records its fingerprints before its first await, in
 * log order, and a clue that repeats one still being routed waits for that routing to finish.
 */
@Injectable()
export class ReferralRouter implements OnModuleInit {
  private table!: FingerprintTable;
  /** Routings in flight by clueId: a later duplicate reads the earlier clue only once it is routed. */
  private readonly routing = new Map<string, Promise<unknown>>();

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
    this.bus.consume({ group: REFERRAL_ROUTER, types: [ClueTriaged.type], concurrency: HANDOFF_CONCURRENCY }, (event) => this.handle(event));
  }

  handle(stored: StoredEvent): Promise<void> {
    const { clueId, fingerprints, routedTo } = readEvent(ClueTriaged, stored).payload;
    // synchronous up to here: every earlier clue of the log has recorded its fingerprints
    this.table.record(fingerprints, routedTo.jurisdiction, clueId, stored.globalPosition);
    const match = this.table.earliestMatch(fingerprints, routedTo.jurisdiction, clueId, stored.globalPosition);
    const routed = this.route(stored, clueId, match);
    this.routing.set(clueId, routed);
    const forget = () => {
      if (this.routing.get(clueId) === routed) this.routing.delete(clueId);
    };
    routed.then(forget, forget);
    return routed;
  }

  private async route(stored: StoredEvent, clueId: string, match: FingerprintMatch | undefined): Promise<void> {
    const command: ClueCommand = { type: 'RouteClue', duplicate: match && (await this.duplicateOf(match)) };
    // The submitting agency's side of the hand-off: intake refers on its behalf.
    const actor = systemActor(partyOf(stored.actor), 'intake');
    await this.runner.react(clueStream(clueId), clueDecider, command, stored, actor, REFERRAL_ROUTER);
  }

  /** A duplicate is linked to the first clue: when the match is itself a duplicate, to what it duplicates. */
  private async duplicateOf(match: FingerprintMatch) {
    // a failed routing of the earlier clue fails this one too: the bus retries it after a pause
    await this.routing.get(match.clueId);
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
