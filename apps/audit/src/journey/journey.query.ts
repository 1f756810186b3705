import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor, AsOfQuery, JourneyResponse } from '@atr/contracts';
import type { EventStore } from '@atr/event-store';
import { CLOCK, EVENT_STORE, NotFound, type Clock } from '@atr/platform';
import { asOfEcho, evaluatedAt, recordedBy } from '../access/as-of';
import { oversees, readForAudit } from '../access/read-for-audit';
import { buildJourney } from './journey';

export class GetJourney extends Query<JourneyResponse> {
  constructor(
    readonly clueId: string,
    readonly at: AsOfQuery,
    readonly auditor: Actor,
  ) {
    super();
  }
}

@QueryHandler(GetJourney)
export class GetJourneyHandler implements IQueryHandler<GetJourney, JourneyResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ clueId, at, auditor }: GetJourney): Promise<JourneyResponse> {
    const all = await this.store.readCorrelation(clueId);
    // outside the auditor's jurisdiction reads as unknown, so existence does not leak
    if (!oversees(auditor, all)) throw new NotFound('journey', clueId);
    const view = all.filter(recordedBy(at));
    if (view.length === 0) throw new NotFound('journey', `${clueId} (it had no events at that point)`);
    const instant = await evaluatedAt(at, this.store, this.clock);
    const journey = buildJourney(view.map(readForAudit), instant);
    return { clueId, ...asOfEcho(at), evaluatedAt: instant.toISOString(), ...journey };
  }
}
