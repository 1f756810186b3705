import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor, EventsPage } from '@atr/contracts';
import type { EventStore } from '@atr/event-store';
import { EVENT_STORE } from '@atr/platform';
import { oversees, readForAudit } from '../access/read-for-audit';

export class GetEventsPage extends Query<EventsPage> {
  constructor(
    readonly after: number,
    readonly limit: number,
    readonly auditor: Actor,
  ) {
    super();
  }
}

/**
 * A page of the global log for exports. Same rule as the journey: an event is exported when the
 * auditor oversees its journey, so an export holds whole journeys, never half of one.
 */
@QueryHandler(GetEventsPage)
export class GetEventsPageHandler implements IQueryHandler<GetEventsPage, EventsPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after, limit, auditor }: GetEventsPage): Promise<EventsPage> {
    const [page, headPosition] = await Promise.all([this.store.readAll({ after, limit }), this.store.headPosition()]);
    const visible = new Map<string, boolean>();
    for (const correlationId of new Set(page.map((e) => e.correlationId))) {
      visible.set(correlationId, oversees(auditor, await this.store.readCorrelation(correlationId)));
    }
    return {
      items: page.filter((e) => visible.get(e.correlationId)).map(readForAudit),
      nextAfter: page.length ? page[page.length - 1].globalPosition : after,
      headPosition: Math.max(headPosition, page.length ? page[page.length - 1].globalPosition : 0),
      scanned: page.length,
    };
  }
}
