import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  AssessmentFile,
  AssessmentList,
  AssessmentParams,
  CompleteAssessmentBody,
  ListAssessmentsQuery,
  ScheduleAssessmentBody,
  type Actor,
} from '@atr/contracts';
import { CurrentActor, Endpoint, RequestId } from '@atr/platform';
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
  @Endpoint({ summary: 'Read an assessment', tags, allow, params, response: AssessmentFile, errors: notFound })
  get(@CurrentActor() actor: Actor, @Param() { assessmentId }: AssessmentParams): Promise<AssessmentFile> {
    return this.queries.execute(new GetAssessment(actor, assessmentId));
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
