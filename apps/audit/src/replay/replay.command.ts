import { performance } from 'node:perf_hooks';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { readAnyEvent, type ReplayResponse } from '@atr/contracts';
import { readAllInBatches, type EventStore } from '@atr/event-store';
import { CLOCK, EVENT_STORE, READ_MODELS, type Clock, type ReadModels } from '@atr/platform';

export class VerifyReplay extends Command<ReplayResponse> {}

const KEEP_UNREADABLE = 50;

/**
 * Rebuilds every read model of this process from position 0 and compares it with the live
 * tables, then reads the whole log once more as the code would, counting events that no longer
 * upcast or validate. Writes nothing. Concurrent requests share the run in flight, since a
 * replay pauses the projections' consumers while it compares.
 */
@CommandHandler(VerifyReplay)
export class VerifyReplayHandler implements ICommandHandler<VerifyReplay, ReplayResponse> {
  private running: Promise<ReplayResponse> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(): Promise<ReplayResponse> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<ReplayResponse> {
    const startedAt = this.clock.now();
    const began = performance.now();
    const projections = await this.readModels.verifyReplay();
    const upTo = await this.store.headPosition();
    let eventsScanned = 0;
    let count = 0;
    const first: ReplayResponse['unreadableEvents']['first'] = [];
    for await (const batch of readAllInBatches(this.store, { after: 0, upTo, batchSize: 2000 })) {
      for (const event of batch) {
        eventsScanned++;
        try {
          readAnyEvent(event);
        } catch (error) {
          count++;
          if (first.length < KEEP_UNREADABLE) {
            const { globalPosition: position, eventId, type, schemaVersion, streamId } = event;
            first.push({ position, eventId, type, schemaVersion, streamId, error: (error as Error).message });
          }
        }
      }
    }
    const durationMs = Math.round((performance.now() - began) * 1000) / 1000;
    return {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date(startedAt.getTime() + durationMs).toISOString(),
      durationMs,
      eventsScanned,
      eventsApplied: projections.reduce((sum, p) => sum + p.eventsApplied, 0),
      equal: projections.every((p) => p.equal),
      projections,
      unreadableEvents: { count, first },
    };
  }
}
