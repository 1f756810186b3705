import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AsOfQuery, StreamParams, StreamStateResponse, type Actor } from '@atr/contracts';
import { CurrentActor, Endpoint } from '@atr/platform';
import { AUDIT_ACCESS } from '../access/audit-access';
import { GetStreamAsOf } from './stream.query';

@Controller('audit/streams')
export class StreamController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':streamId')
  @Endpoint({
    summary: 'Read the events of a stream as it was at a time or a log position',
    description:
      'The events of any stream (upcast to their current version) recorded by `asOf` or up to `position`, and a generic `state`: ' +
      'each payload (except its hand-off) shallow-merged in order, with lastEvent, lastEventAt and history. ' +
      'That state is a record of the facts stated so far, not the owning service’s decision state. ' +
      'For the decision state as it was, ask the owning service with the same `asOf`/`position`: ' +
      '`GET /clues/{clueId}/status` (intake), `GET /referrals/{referralId}` and `GET /cases/{caseId}` (police), ' +
      '`GET /placements/{placementId}` (placement), `GET /assessments/{assessmentId}` (assessment).',
    tags: ['audit'],
    allow: AUDIT_ACCESS,
    params: StreamParams,
    query: AsOfQuery,
    response: StreamStateResponse,
    errors: { 404: 'no such stream in your jurisdiction, or it did not exist at that point' },
  })
  stream(@Param() params: StreamParams, @QueryParams() query: AsOfQuery, @CurrentActor() auditor: Actor) {
    return this.queries.execute(new GetStreamAsOf(params.streamId, query, auditor));
  }
}
