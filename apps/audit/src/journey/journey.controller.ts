import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AsOfQuery, JourneyParams, JourneyResponse, type Actor } from '@atr/contracts';
import { CurrentActor, Endpoint } from '@atr/platform';
import { AUDIT_ACCESS } from '../access/audit-access';
import { GetJourney } from './journey.query';

@Controller('audit/journeys')
export class JourneyController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':clueId')
  @Endpoint({
    summary: 'Read the journey of one clue',
    description:
      'Every event of the journey (correlationId = clue id) in global order, with actor and cause, and every hand-off with ' +
      'who received it, who acted on it, how long it waited and whether it is overdue. `asOf` or `position` shows the journey as it was then.',
    tags: ['audit'],
    allow: AUDIT_ACCESS,
    params: JourneyParams,
    query: AsOfQuery,
    response: JourneyResponse,
    errors: { 404: 'no such journey in your jurisdiction, or none at that point' },
  })
  journey(@Param() params: JourneyParams, @QueryParams() query: AsOfQuery, @CurrentActor() auditor: Actor) {
    return this.queries.execute(new GetJourney(params.clueId, query, auditor));
  }
}
