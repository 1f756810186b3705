import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { READ_MODELS, type ReadModels } from '@atr/platform';
import { casesProjection } from '../case/cases.projection';
import { inboxProjection } from '../referral/inbox.projection';

/** Registers the police read models (fed by the bus, exactly once, checked by replay). */
@Injectable()
export class PoliceProjections implements OnModuleInit {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  onModuleInit(): void {
    this.readModels.register(inboxProjection);
    this.readModels.register(casesProjection);
  }
}
