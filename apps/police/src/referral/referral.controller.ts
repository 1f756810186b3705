import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  AS_OF_READ_DESCRIPTION,
  AsOfQuery,
  AcceptReferralBody,
  AcceptReferralResponse,
  AcknowledgeReferralResponse,
  InboxResponse,
  ListReferralsQuery,
  ReferralDetail,
  ReferralIdParams,
  RejectReferralBody,
  RejectReferralResponse,
  RequestInformationBody,
  RequestInformationResponse,
  readAsOf,
  type Actor,
} from '@atr/contracts';
import { AUDITORS, CurrentActor, Endpoint, RequestId, type AccessRule } from '@atr/platform';
import { AcceptReferral } from './accept-referral.handler';
import { AcknowledgeReferral, RejectReferral, RequestInformation } from './referral.commands';
import { GetReferral, ListInbox } from './referral.queries';

const allow: AccessRule = { roles: ['OFFICER', 'CASE_LEADER'], kinds: ['PUBLIC_SECURITY'] };
const tags = ['police: referrals'];
const notFound = { 404: 'no such referral in your jurisdiction' };

@Controller('referrals')
export class ReferralController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Endpoint({
    summary: 'List the referral inbox',
    description: 'Referrals sent to your jurisdiction (a city-level unit also sees its counties and the city queue), urgent first, then oldest. `overdue` is computed at query time.',
    tags,
    allow,
    query: ListReferralsQuery,
    response: InboxResponse,
  })
  list(@Query() query: ListReferralsQuery, @CurrentActor() actor: Actor) {
    return this.queries.execute(new ListInbox(query, actor));
  }

  @Get(':referralId')
  @Endpoint({
    summary: 'Read a referral, now or as it was',
    description:
      `The referred clue, its deadline, decisions (acknowledgment, acceptance, rejection, escalation) and information requests with their answers. ${AS_OF_READ_DESCRIPTION} ` +
      '`overdue` is judged at `evaluatedAt` for a past read (now otherwise): e.g. before ReferralAcknowledged the status is RECEIVED, and overdue if the deadline had passed by then. ' +
      'Police see the referrals sent to their jurisdiction (a city unit also its counties and the city queue); auditors and supervisors of the joint-conference office and the procuratorate those their jurisdiction covers.',
    tags,
    allow: [allow, AUDITORS],
    params: ReferralIdParams,
    query: AsOfQuery,
    response: readAsOf(ReferralDetail),
    errors: { 404: 'no such referral in your jurisdiction, or it had not arrived yet at that point' },
  })
  get(@Param() { referralId }: ReferralIdParams, @Query() at: AsOfQuery, @CurrentActor() actor: Actor) {
    return this.queries.execute(new GetReferral(referralId, actor, at));
  }

  @Post(':referralId/acknowledge')
  @Endpoint({
    summary: 'Acknowledge a referral',
    description: 'Once only; `late` when after acknowledgeBy.',
    tags,
    allow,
    params: ReferralIdParams,
    response: AcknowledgeReferralResponse,
    status: 200,
    errors: { ...notFound, 409: 'ALREADY_ACKNOWLEDGED' },
  })
  acknowledge(@Param() { referralId }: ReferralIdParams, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.commands.execute(new AcknowledgeReferral(referralId, actor, requestId));
  }

  @Post(':referralId/accept')
  @Endpoint({
    summary: 'Accept a referral',
    description:
      '`{ caseId }` attaches it to an existing open case of your jurisdiction; otherwise a case is opened (`title`, `taskForceLeader`). ' +
      'A child case needs a task-force leader with role CASE_LEADER (default: the caller if CASE_LEADER). ' +
      'An unacknowledged referral is acknowledged implicitly (ReferralAcknowledged, with `late`, precedes ReferralAccepted).',
    tags,
    allow,
    params: ReferralIdParams,
    body: AcceptReferralBody,
    response: AcceptReferralResponse,
    status: 200,
    errors: {
      404: 'no such referral (or case) in your jurisdiction',
      409: 'ALREADY_ACCEPTED, ALREADY_REJECTED, CASE_NOT_OPEN, CASE_CLOSED',
      422: 'CHILD_CASE_NEEDS_TASK_FORCE_LEADER, TASK_FORCE_LEADER_NOT_CASE_LEADER',
    },
  })
  accept(@Param() { referralId }: ReferralIdParams, @Body() body: AcceptReferralBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.commands.execute(new AcceptReferral(referralId, body, actor, requestId));
  }

  @Post(':referralId/reject')
  @Endpoint({
    summary: 'Reject a referral',
    description: 'With a reason, optionally naming the competent agency. Acknowledges implicitly.',
    tags,
    allow,
    params: ReferralIdParams,
    body: RejectReferralBody,
    response: RejectReferralResponse,
    status: 200,
    errors: { ...notFound, 409: 'ALREADY_ACCEPTED, ALREADY_REJECTED' },
  })
  reject(@Param() { referralId }: ReferralIdParams, @Body() body: RejectReferralBody, @CurrentActor() actor: Actor, @RequestId() requestId: string) {
    return this.commands.execute(new RejectReferral(referralId, body, actor, requestId));
  }

  @Post(':referralId/information-requests')
  @Endpoint({
    summary: 'Ask the submitting agency for more information',
    description: 'Hand-off InformationRequested to the agency that submitted the clue. Acknowledges implicitly.',
    tags,
    allow,
    params: ReferralIdParams,
    body: RequestInformationBody,
    response: RequestInformationResponse,
    status: 201,
    errors: { ...notFound, 409: 'ALREADY_REJECTED' },
  })
  requestInformation(
    @Param() { referralId }: ReferralIdParams,
    @Body() body: RequestInformationBody,
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string,
  ) {
    return this.commands.execute(new RequestInformation(referralId, body.question, actor, requestId));
  }
}
