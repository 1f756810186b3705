import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { READ_MODELS, ReadModels } from '@atr/platform';
import { placementFilesProjection } from './placement/placement-files.projection';
import { reintegrationReferralsProjection } from './referrals/reintegration-referrals.projection';

/** Registers the service's read models before the bus starts feeding them. */
@Injectable()
export class PlacementReadModels implements OnModuleInit {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  onModuleInit(): void {
    this.readModels.register(placementFilesProjection);
    this.readModels.register(reintegrationReferralsProjection);
  }
}
