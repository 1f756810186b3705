import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  AS_OF_READ_DESCRIPTION,
  AsOfQuery,
  AssessmentFile,
  AssessmentList,
  AssessmentParams,
  CompleteAssessmentBody,
  ListAssessmentsQuery,
  ScheduleAssessmentBody,
  readAsOf,
  type Actor,
} from '@atr/contracts';
import { AUDITORS, CurrentActor, Endpoint, RequestId } from '@atr/platform';
import { ChangeAssessment } from './assessment.commands';
import { GetAssessment, ListAssessments } from './assessment.queries';

const allow = { roles: ['ASSESSOR' as const] };
const tags = ['assessment'];
const params = AssessmentParams;
const notFound = { 404: 'no such assessment addressed to your agency' };

/** Medical, psychological, disability, adoption and risk assessments of rescued victims. */
@Controller('assessments')
export class AssessmentController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Endpoint({ summary: 'List assessments addressed to your agency', tags, allow, query: ListAssessmentsQuery, response: AssessmentList })
  list(@CurrentActor() actor: Actor, @Query() query: ListAssessmentsQuery): Promise<AssessmentList> {
    return this.queries.execute(new ListAssessments(actor, query));
  }

  @Get(':assessmentId')
  @Endpoint({
    summary: 'Read an assessment, now or as it was',
    description:
      `One assessment folded from its stream by this service: request, schedule, result. ${AS_OF_READ_DESCRIPTION} ` +
      'E.g. before AssessmentCompleted the status is SCHEDULED with no result. ' +
      'Assessors see the assessments addressed to their agency; auditors and supervisors of the joint-conference office and the procuratorate those of the agencies their jurisdiction covers. ' +
      'The assessment holds the victim’s personal data (need-to-know): read it only for oversight.',
    tags,
    allow: [allow, AUDITORS],
    params,
    query: AsOfQuery,
    response: readAsOf(AssessmentFile),
    errors: { 404: 'no such assessment addressed to your agency (or in your oversight), or not requested yet at that point' },
  })
  get(@CurrentActor() actor: Actor, @Param() { assessmentId }: AssessmentParams, @Query() at: AsOfQuery): Promise<AssessmentFile> {
    return this.queries.execute(new GetAssessment(actor, assessmentId, at));
  }

  @Post(':assessmentId/schedule')
  @Endpoint({
    summary: 'Schedule (or reschedule) an assessment',
    tags, allow, params, body: ScheduleAssessmentBody, response: AssessmentFile, status: 200,
    errors: { ...notFound, 409: 'ASSESSMENT_ALREADY_COMPLETED' },
  })
  schedule(@CurrentActor() actor: Actor, @Param() { assessmentId }: AssessmentParams, @Body() body: ScheduleAssessmentBody, @RequestId() requestId: string): Promise<AssessmentFile> {
    return this.commands.execute(new ChangeAssessment(actor, assessmentId, { type: 'ScheduleAssessment', ...body }, requestId));
  }

  @Post(':assessmentId/complete')
  @Endpoint({
    summary: 'Complete an assessment with its outcome (sent back to civil affairs)',
    tags, allow, params, body: CompleteAssessmentBody, response: AssessmentFile, status: 200,
    errors: { ...notFound, 409: 'ASSESSMENT_NOT_SCHEDULED, ASSESSMENT_ALREADY_COMPLETED', 422: 'DISABILITY_GRADE_ONLY_FOR_DISABILITY_ASSESSMENT' },
  })
  complete(@CurrentActor() actor: Actor, @Param() { assessmentId }: AssessmentParams, @Body() body: CompleteAssessmentBody, @RequestId() requestId: string): Promise<AssessmentFile> {
    return this.commands.execute(new ChangeAssessment(actor, assessmentId, { type: 'CompleteAssessment', ...body }, requestId));
  }
}
