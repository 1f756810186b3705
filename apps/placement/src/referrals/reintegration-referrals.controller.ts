import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IncomingReintegrationReferralList, ListReintegrationReferralsQuery, type Actor } from '@atr/contracts';
import { CurrentActor, Endpoint } from '@atr/platform';
import { ListReintegrationReferrals } from './reintegration-referrals.queries';

@Controller('reintegration-referrals')
export class ReintegrationReferralsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Endpoint({
    summary: 'List reintegration referrals addressed to your agency',
    description: 'Whom to enrol, train or assist: the person as civil affairs referred them (without the victim’s description).',
    tags: ['placement'],
    allow: { roles: ['SERVICE_PROVIDER'], kinds: ['EDUCATION', 'HR_SOCIAL_SECURITY', 'JUSTICE'] },
    query: ListReintegrationReferralsQuery,
    response: IncomingReintegrationReferralList,
  })
  list(@CurrentActor() actor: Actor, @Query() query: ListReintegrationReferralsQuery) {
    return this.queries.execute(new ListReintegrationReferrals(actor, query));
  }
}
