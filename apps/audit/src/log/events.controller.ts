import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EventsPage, EventsPageQuery, type Actor } from '@atr/contracts';
import { CurrentActor, Endpoint } from '@atr/platform';
import { AUDIT_ACCESS } from '../access/audit-access';
import { GetEventsPage } from './events.query';

@Controller('audit/events')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Endpoint({
    summary: 'Export a page of the global event log',
    description:
      'Events after `after` in commit order (at most `limit`, ≤ 1000), upcast to their current version. Only events of journeys ' +
      'in your jurisdiction are listed; pass `nextAfter` as `after` until it equals `headPosition`.',
    tags: ['audit'],
    allow: AUDIT_ACCESS,
    query: EventsPageQuery,
    response: EventsPage,
  })
  page(@QueryParams() query: EventsPageQuery, @CurrentActor() auditor: Actor) {
    return this.queries.execute(new GetEventsPage(query.after, query.limit, auditor));
  }
}
