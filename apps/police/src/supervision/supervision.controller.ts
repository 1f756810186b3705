import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  CaseCommandResponse,
  CaseIdParams,
  DeadlineCheckResponse,
  EscalationsResponse,
  ListEscalationsQuery,
  ListSupervisedCasesQuery,
  SupervisedCasesResponse,
  SupervisionBody,
  type Actor,
} from '@atr/contracts';
import { CurrentActor, Endpoint, RequestId, type EndpointOptions } from '@atr/platform';
import { ActOnCase } from '../case/case.commands';
import { DeadlineWatcher } from './deadline-watcher';
import { ListEscalations, ListSupervisedCases } from './supervision.queries';

const supervisor: EndpointOptions['allow'] = { roles: ['SUPERVISOR'], kinds: ['JOINT_CONFERENCE_OFFICE'] };
const reader: EndpointOptions['allow'] = { roles: ['SUPERVISOR', 'AUDITOR'], kinds: ['JOINT_CONFERENCE_OFFICE'] };
const tags = ['police: supervision'];

/** The joint-conference office's side of police work: supervision listings and escalations. */
@Controller()
export class SupervisionController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly watcher: DeadlineWatcher,
  ) {}

  @Post('cases/:caseId/supervision')
  @Endpoint({
    summary: 'List a case for supervision',
    description: '挂牌督办, once per level, by the joint-conference office covering the case.',
    tags,
    allow: supervisor,
    params: CaseIdParams,
    body: SupervisionBody,
    response: CaseCommandResponse,
    status: 200,
    errors: { 404: 'no such case in your jurisdiction', 409: 'ALREADY_LISTED_FOR_SUPERVISION, CASE_CLOSED' },
  })
  list(@Param() { caseId }: CaseIdParams, @Body() body: SupervisionBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.commands.execute(new ActOnCase(caseId, { type: 'ListForSupervision', ...body }, actor, requestId));
  }

  @Get('supervision/cases')
  @Endpoint({ summary: 'List supervised cases', tags, allow: reader, query: ListSupervisedCasesQuery, response: SupervisedCasesResponse })
  cases(@Query() query: ListSupervisedCasesQuery, @CurrentActor() actor: Actor) {
    return this.queries.execute(new ListSupervisedCases(actor, query.limit));
  }

  @Get('supervision/escalations')
  @Endpoint({ summary: 'List escalated overdue referrals', description: 'Newest escalation first.', tags, allow: reader, query: ListEscalationsQuery, response: EscalationsResponse })
  escalations(@Query() query: ListEscalationsQuery, @CurrentActor() actor: Actor) {
    return this.queries.execute(new ListEscalations(actor, query.limit));
  }

  @Post('supervision/deadline-checks')
  @Endpoint({
    summary: 'Run the deadline check now',
    description: 'Escalates every unacknowledged referral of your jurisdiction past its acknowledgment deadline (the watcher also runs on its own every DEADLINE_CHECK_INTERVAL_MS).',
    tags,
    allow: supervisor,
    response: DeadlineCheckResponse,
    status: 200,
  })
  async checkDeadlines(@CurrentActor() actor: Actor) {
    return { escalated: await this.watcher.checkNow(actor.jurisdiction) };
  }
}
