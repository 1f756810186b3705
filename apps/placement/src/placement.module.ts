import { Module } from '@nestjs/common';
import { AssessmentResultsConsumer } from './placement/assessment-results.consumer';
import { HandoverConsumer } from './placement/handover.consumer';
import { ChangePlacementHandler } from './placement/placement.commands';
import { PlacementController } from './placement/placement.controller';
import { GetPlacementFileHandler, ListPlacementsHandler } from './placement/placement.queries';
import { PlacementReadModels } from './placement.read-models';
import { ReintegrationReferralsController } from './referrals/reintegration-referrals.controller';
import { ListReintegrationReferralsHandler } from './referrals/reintegration-referrals.queries';

/** Rescue, placement and reintegration (civil affairs): needs PlatformModule in the root. */
@Module({
  controllers: [PlacementController, ReintegrationReferralsController],
  providers: [
    ChangePlacementHandler,
    GetPlacementFileHandler,
    ListPlacementsHandler,
    ListReintegrationReferralsHandler,
    HandoverConsumer,
    AssessmentResultsConsumer,
    PlacementReadModels,
  ],
})
export class PlacementModule {}
