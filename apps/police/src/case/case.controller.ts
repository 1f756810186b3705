import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  AS_OF_READ_DESCRIPTION,
  AsOfQuery,
  AssignTaskForceLeaderBody,
  BuyerFamilyBody,
  CaseCommandResponse,
  CaseDetail,
  CaseIdParams,
  CasesResponse,
  CloseCaseBody,
  DnaMatchBody,
  DnaSampleBody,
  ListCasesQuery,
  MissingChildAlertBody,
  ProsecutionBody,
  RescueBody,
  SolveCaseBody,
  SuspectBody,
  TransferCaseBody,
  readAsOf,
  type Actor,
} from '@atr/contracts';
import { AUDITORS, CurrentActor, Endpoint, RequestId, type AccessRule, type EndpointOptions } from '@atr/platform';
import { ActOnCase } from './case.commands';
import type { CaseAction } from './case.preparation';
import { GetCase, ListCases } from './case.queries';

const allow: AccessRule = { roles: ['OFFICER', 'CASE_LEADER'], kinds: ['PUBLIC_SECURITY'] };
const tags = ['police: cases'];
const closed = 'CASE_CLOSED: nothing may be appended to a closed case';

/** Shared parts of every case command route. */
const command = (summary: string, extra: Partial<EndpointOptions> & { errors?: Record<number, string> }): EndpointOptions => ({
  summary,
  tags,
  allow,
  params: CaseIdParams,
  response: CaseCommandResponse,
  status: 200,
  ...extra,
  errors: { 404: 'no such case in your jurisdiction', 409: closed, ...extra.errors },
});

@Controller('cases')
export class CaseController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private act(caseId: string, action: CaseAction, actor: Actor, requestId: string) {
    return this.commands.execute(new ActOnCase(caseId, action, actor, requestId));
  }

  @Get()
  @Endpoint({ summary: 'List cases', description: 'Cases of your jurisdiction (a city unit also sees its counties), newest first.', tags, allow, query: ListCasesQuery, response: CasesResponse })
  list(@Query() query: ListCasesQuery, @CurrentActor() actor: Actor) {
    return this.queries.execute(new ListCases(query, actor));
  }

  @Get(':caseId')
  @Endpoint({
    summary: 'Read a case, now or as it was',
    description:
      `The whole case folded from its stream by the police service: status, task force leader, DNA samples and matches, suspects, alerts, buyer families, victims, supervision, transfers, solution, prosecution, closure. ${AS_OF_READ_DESCRIPTION} ` +
      'Police see the cases of their jurisdiction (a city unit also its counties; after a transfer only the receiving unit). ' +
      'Auditors and supervisors of the joint-conference office and the procuratorate see the cases their jurisdiction covers, e.g. `?position=` just before CaseSolved shows the case still OPEN with no solution.',
    tags,
    allow: [allow, AUDITORS],
    params: CaseIdParams,
    query: AsOfQuery,
    response: readAsOf(CaseDetail),
    errors: { 404: 'no such case in your jurisdiction, or it was not opened yet at that point' },
  })
  get(@Param() { caseId }: CaseIdParams, @Query() at: AsOfQuery, @CurrentActor() actor: Actor) {
    return this.queries.execute(new GetCase(caseId, actor, at));
  }

  @Post(':caseId/task-force-leader')
  @Endpoint(
    command('Assign a task force leader', {
      description: 'Hands the task force to a successor (TaskForceLeaderAssigned names the previous leader). The new leader must be a CASE_LEADER of a unit covering the case.',
      allow: { roles: ['CASE_LEADER'], kinds: ['PUBLIC_SECURITY'] },
      body: AssignTaskForceLeaderBody,
      errors: { 409: `ALREADY_TASK_FORCE_LEADER; ${closed}`, 422: 'TASK_FORCE_LEADER_NOT_CASE_LEADER' },
    }),
  )
  assignLeader(@Param() { caseId }: CaseIdParams, @Body() body: AssignTaskForceLeaderBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'AssignLeader', ...body }, actor, requestId);
  }

  @Delete(':caseId/task-force-leader')
  @Endpoint(
    command('Remove the task force leader', {
      description: '一长三包: refused for an unsolved child case, whose leader can only be replaced by a successor.',
      allow: { roles: ['CASE_LEADER'], kinds: ['PUBLIC_SECURITY'] },
      errors: { 409: `TASK_FORCE_LEADER_NEEDS_SUCCESSOR, NO_TASK_FORCE_LEADER; ${closed}` },
    }),
  )
  removeLeader(@Param() { caseId }: CaseIdParams, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'RemoveLeader' }, actor, requestId);
  }

  @Post(':caseId/dna-samples')
  @Endpoint(command('Record a DNA sample', { body: DnaSampleBody, status: 201, errors: { 409: `DNA_SAMPLE_EXISTS; ${closed}` } }))
  takeSample(@Param() { caseId }: CaseIdParams, @Body() body: DnaSampleBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'TakeDnaSample', ...body }, actor, requestId);
  }

  @Post(':caseId/dna-matches')
  @Endpoint(command('Record a DNA match', { body: DnaMatchBody, status: 201, errors: { 422: 'UNKNOWN_DNA_SAMPLE: the sample was not taken for this case' } }))
  recordMatch(@Param() { caseId }: CaseIdParams, @Body() body: DnaMatchBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'RecordDnaMatch', ...body }, actor, requestId);
  }

  @Post(':caseId/suspects')
  @Endpoint(command('Identify a suspect', { description: 'Posting a known suspect again records the arrest.', body: SuspectBody, status: 201, errors: { 409: `SUSPECT_ALREADY_IDENTIFIED; ${closed}` } }))
  identifySuspect(@Param() { caseId }: CaseIdParams, @Body() body: SuspectBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'IdentifySuspect', ...body }, actor, requestId);
  }

  @Post(':caseId/missing-child-alerts')
  @Endpoint(
    command('Issue a missing-child alert', {
      description: '团圆: spread to `jurisdictions` (default: the other counties of the same city known to the directory, and the city); hand-off to the city-level police.',
      body: MissingChildAlertBody,
      status: 201,
    }),
  )
  issueAlert(@Param() { caseId }: CaseIdParams, @Body() body: MissingChildAlertBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'IssueMissingChildAlert', ...body }, actor, requestId);
  }

  @Post(':caseId/buyer-families')
  @Endpoint(command('Record the buyer family', { description: 'A rescued child is never placed with a family recorded here.', body: BuyerFamilyBody, status: 201, errors: { 409: `BUYER_FAMILY_EXISTS; ${closed}` } }))
  recordBuyerFamily(@Param() { caseId }: CaseIdParams, @Body() body: BuyerFamilyBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'RecordBuyerFamily', family: body.family }, actor, requestId);
  }

  @Post(':caseId/rescues')
  @Endpoint(
    command('Record a rescue and hand the victim over to civil affairs', {
      description: 'VictimRescued and VictimHandedOver in one append; the hand-off goes to the closest civil affairs agency and carries every buyer family of the case. Returns victimId and placementId.',
      body: RescueBody,
      status: 201,
      errors: { 409: `VICTIM_ALREADY_RESCUED; ${closed}`, 422: 'RESCUE_IN_FUTURE' },
    }),
  )
  rescue(@Param() { caseId }: CaseIdParams, @Body() body: RescueBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'RescueVictim', ...body }, actor, requestId);
  }

  @Post(':caseId/transfer')
  @Endpoint(
    command('Transfer the case to another jurisdiction', {
      description: 'Hand-off to the police unit closest to the target; the case then belongs to it and your unit loses access (unless it covers the target).',
      body: TransferCaseBody,
      errors: { 409: `TRANSFER_TO_SAME_JURISDICTION; ${closed}` },
    }),
  )
  transfer(@Param() { caseId }: CaseIdParams, @Body() body: TransferCaseBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'TransferCase', ...body }, actor, requestId);
  }

  @Post(':caseId/solve')
  @Endpoint(command('Mark the case solved', { body: SolveCaseBody, errors: { 409: `ALREADY_SOLVED; ${closed}` } }))
  solve(@Param() { caseId }: CaseIdParams, @Body() body: SolveCaseBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'SolveCase', summary: body.summary }, actor, requestId);
  }

  @Post(':caseId/prosecution')
  @Endpoint(
    command('Send the case for prosecution', {
      description: '移送起诉: hand-off to the closest procuratorate; the case must be solved.',
      body: ProsecutionBody,
      errors: { 409: `CASE_NOT_SOLVED, ALREADY_SENT_FOR_PROSECUTION; ${closed}` },
    }),
  )
  prosecute(@Param() { caseId }: CaseIdParams, @Body() body: ProsecutionBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'SendForProsecution', ...body }, actor, requestId);
  }

  @Post(':caseId/close')
  @Endpoint(command('Close the case', { description: 'A child-trafficking case cannot be closed unless solved.', body: CloseCaseBody, errors: { 409: `CHILD_CASE_CLOSE_REQUIRES_SOLVED; ${closed}` } }))
  close(@Param() { caseId }: CaseIdParams, @Body() body: CloseCaseBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.act(caseId, { type: 'CloseCase', reason: body.reason }, actor, requestId);
  }
}
