import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { READ_MODELS, ReadModels } from '@atr/platform';
import { assessmentRequestsProjection } from './assessment/assessment-requests.projection';

/** Registers the service's read models before the bus starts feeding them. */
@Injectable()
export class AssessmentReadModels implements OnModuleInit {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  onModuleInit(): void {
    this.readModels.register(assessmentRequestsProjection);
  }
}
