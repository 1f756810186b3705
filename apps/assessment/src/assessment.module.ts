import { Module } from '@nestjs/common';
import { AssessmentRequestsConsumer } from './assessment/assessment-requests.consumer';
import { ChangeAssessmentHandler } from './assessment/assessment.commands';
import { AssessmentController } from './assessment/assessment.controller';
import { GetAssessmentHandler, ListAssessmentsHandler } from './assessment/assessment.queries';
import { AssessmentReadModels } from './assessment.read-models';

/** Assessments requested by civil affairs (hospitals, disabled persons' federation…): needs PlatformModule in the root. */
@Module({
  controllers: [AssessmentController],
  providers: [ChangeAssessmentHandler, GetAssessmentHandler, ListAssessmentsHandler, AssessmentRequestsConsumer, AssessmentReadModels],
})
export class AssessmentModule {}
