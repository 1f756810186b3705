import { Module } from '@nestjs/common';
import { ConsumersController } from './consumers/consumers.controller';
import { JourneyController } from './journey/journey.controller';
import { GetJourneyHandler } from './journey/journey.query';
import { EventsController } from './log/events.controller';
import { GetEventsPageHandler } from './log/events.query';
import { ReplayController } from './replay/replay.controller';
import { VerifyReplayHandler } from './replay/replay.command';
import { StreamController } from './streams/stream.controller';
import { GetStreamAsOfHandler } from './streams/stream.query';

/**
 * Oversight: reads the whole log (journeys, streams as of a time, exports) and checks the read
 * models by replay. It owns no streams and writes none.
 */
@Module({
  controllers: [JourneyController, StreamController, EventsController, ReplayController, ConsumersController],
  providers: [GetJourneyHandler, GetStreamAsOfHandler, GetEventsPageHandler, VerifyReplayHandler],
})
export class AuditModule {}
