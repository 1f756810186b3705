import { Controller, Get, Inject, Res } from '@nestjs/common';
import { z } from 'zod';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { EVENT_STORE } from '../tokens';
import type { EventStore } from '@atr/event-store';
import { Endpoint } from '../auth/endpoint';

/** Liveness and readiness for operators and orchestrators; no data about victims here. */
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  @Get('health')
  @Endpoint({ summary: 'Liveness', tags: ['operations'], allow: 'public', response: z.object({ status: z.literal('ok') }) })
  health() {
    return { status: 'ok' as const };
  }

  @Get('ready')
  @Endpoint({
    summary: 'Readiness: the event store answers and every consumer (and relay) has caught up once',
    description: '`commits` (embedded store): how many durable commits carried the appends of the thread that answers requests, and how long they took (fsync included), in cumulative buckets of at most `le` ms.',
    tags: ['operations'],
    allow: 'public',
    errors: { 503: 'not ready yet (consumers catching up) or the store is unavailable' },
  })
  async ready(@Res({ passthrough: true }) reply: { status(code: number): unknown }) {
    try {
      const head = await this.store.headPosition();
      const consumers = await this.bus.status();
      const ready = consumers.every((c) => c.caughtUp);
      if (!ready) reply.status(503);
      return {
        status: ready ? 'ready' : 'starting',
        headPosition: head,
        // in distributed mode also the Kafka groups (lag from the broker) and the relay (its checkpoint)
        consumers: consumers.map(({ group, checkpoint, lag, caughtUp, deadLetters, transport }) => ({ group, checkpoint, lag, caughtUp, deadLetters, ...(transport ? { transport } : {}) })),
        // how long the durable commits of this thread's appends took: a slow disk shows here
        // before anyone reads the logs (absent when a server commits, e.g. KurrentDB)
        ...(this.store.commitLatency ? { commits: this.store.commitLatency() } : {}),
      };
    } catch (error) {
      reply.status(503);
      return { status: 'unavailable', error: (error as Error).message };
    }
  }
}
