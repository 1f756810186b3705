import { Controller, Get, Inject } from '@nestjs/common';
import { ConsumersResponse } from '@atr/contracts';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import type { EventStore } from '@atr/event-store';
import { Endpoint, EVENT_STORE } from '@atr/platform';
import { AUDIT_ACCESS } from '../access/audit-access';

/** Operational view for auditors: a stuck hand-off shows here as lag or a dead letter. */
@Controller('audit/consumers')
export class ConsumersController {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Endpoint({
    summary: 'List the consumers, their lag and dead letters',
    description: 'Checkpoint, lag and dead-letter count per consumer group (in distributed mode: every Kafka consumer group, with Kafka consumer lag, and every relay of the deployment), and the dead letters summarised (no payloads).',
    tags: ['audit'],
    allow: AUDIT_ACCESS,
    response: ConsumersResponse,
  })
  async consumers(): Promise<ConsumersResponse> {
    // in distributed mode, every hand-off group and relay of the deployment, not only this process's
    const [headPosition, status] = await Promise.all([this.store.headPosition(), this.bus.overview ? this.bus.overview() : this.bus.status()]);
    return {
      headPosition,
      consumers: status.map(({ group, types, checkpoint, lag, caughtUp, running, deadLetters, transport, topics }) => ({
        group,
        types: [...types],
        checkpoint,
        lag,
        caughtUp,
        running,
        deadLetters,
        ...(transport ? { transport } : {}),
        ...(topics ? { topics } : {}),
      })),
      deadLetters: this.bus.deadLetters().map(({ group, event, error, attempts, failedAt }) => ({
        group,
        eventId: event.eventId,
        type: event.type,
        position: event.globalPosition,
        streamId: event.streamId,
        correlationId: event.correlationId,
        error,
        attempts,
        failedAt,
      })),
    };
  }
}
