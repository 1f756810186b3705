import { Module } from '@nestjs/common';
import { ConsumersController } from './consumers/consumers.controller';
import { JourneyController } from './journey/journey.controller';
import { LedgerController } from './ledger/ledger.controller';
import { GetConsistencyProofHandler, GetInclusionProofHandler, GetLedgerEntriesHandler, GetLedgerStatusHandler } from './ledger/ledger.queries';
import { LedgerService } from './ledger/ledger.service';
import { GetJourneyHandler } from './journey/journey.query';
import { EventsController } from './log/events.controller';
import { GetEventsPageHandler } from './log/events.query';
import { ReplayController } from './replay/replay.controller';
import { VerifyReplayHandler } from './replay/replay.command';
import { GetOverdueHandoffsHandler } from './reports/overdue-handoffs.query';
import { ReportsController } from './reports/reports.controller';
import { ReportsReadModels } from './reports/reports.read-models';
import { GetSelfEvaluationsHandler } from './reports/self-evaluation.query';
import { GetSituationReportHandler } from './reports/situation.query';
import { StreamController } from './streams/stream.controller';
import { GetStreamAsOfHandler } from './streams/stream.query';

/**
 * Oversight: reads the whole log (journeys, streams as of a time, exports), checks the read
 * models by replay, keeps the facts of the oversight reports in its own read model, and keeps the
 * ledger: a Merkle tree over the log whose signed checkpoints it records in its one stream,
 * `ledger-checkpoints`.
 */
@Module({
  controllers: [JourneyController, StreamController, EventsController, ReplayController, ConsumersController, ReportsController, LedgerController],
  providers: [
    GetJourneyHandler,
    GetStreamAsOfHandler,
    GetEventsPageHandler,
    VerifyReplayHandler,
    ReportsReadModels,
    GetSituationReportHandler,
    GetOverdueHandoffsHandler,
    GetSelfEvaluationsHandler,
    LedgerService,
    GetLedgerStatusHandler,
    GetInclusionProofHandler,
    GetConsistencyProofHandler,
    GetLedgerEntriesHandler,
  ],
})
export class AuditModule {}
