import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor, AsOfQuery, StreamStateResponse } from '@atr/contracts';
import type { EventStore } from '@atr/event-store';
import { EVENT_STORE, NotFound } from '@atr/platform';
import { asOfEcho } from '../access/as-of';
import { oversees, readForAudit } from '../access/read-for-audit';
import { factsOf } from './facts';

export class GetStreamAsOf extends Query<StreamStateResponse> {
  constructor(
    readonly streamId: string,
    readonly at: AsOfQuery,
    readonly auditor: Actor,
  ) {
    super();
  }
}

@QueryHandler(GetStreamAsOf)
export class GetStreamAsOfHandler implements IQueryHandler<GetStreamAsOf, StreamStateResponse> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ streamId, at, auditor }: GetStreamAsOf): Promise<StreamStateResponse> {
    const stored = await this.store.readStream(streamId, { asOf: at.asOf, upToPosition: at.position });
    // a stream that did not exist then and one outside the jurisdiction look the same
    if (stored.length === 0 || !oversees(auditor, stored)) throw new NotFound('stream', streamId);
    const events = stored.map(readForAudit);
    return { streamId, ...asOfEcho(at), revision: events[events.length - 1].streamRevision, events, state: factsOf(events) };
  }
}
