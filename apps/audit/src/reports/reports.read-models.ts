import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { READ_MODELS, type ReadModels } from '@atr/platform';
import { reportsProjection } from './reports.projection';

/** Registers the facts of the oversight reports (fed by the bus, exactly once, checked by replay). */
@Injectable()
export class ReportsReadModels implements OnModuleInit {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  onModuleInit(): void {
    this.readModels.register(reportsProjection);
  }
}
