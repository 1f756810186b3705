import { Module } from '@nestjs/common';
import { ActOnCaseHandler } from './case/case.commands';
import { CaseController } from './case/case.controller';
import { GetCaseHandler, ListCasesHandler } from './case/case.queries';
import { CaseRepository } from './case/case.repository';
import { AcceptReferralHandler } from './referral/accept-referral.handler';
import { InboxConsumer } from './referral/inbox.consumer';
import { InformationConsumer } from './referral/information.consumer';
import { AcknowledgeReferralHandler, RejectReferralHandler, RequestInformationHandler } from './referral/referral.commands';
import { ReferralController } from './referral/referral.controller';
import { GetReferralHandler, ListInboxHandler } from './referral/referral.queries';
import { ReferralRepository } from './referral/referral.repository';
import { PoliceProjections } from './shared/projections';
import { DeadlineWatcher } from './supervision/deadline-watcher';
import { SupervisionController } from './supervision/supervision.controller';
import { ListEscalationsHandler, ListSupervisedCasesHandler } from './supervision/supervision.queries';

/** Police: referral inbox, cases, deadlines and supervision, hand-off to civil affairs. */
@Module({
  controllers: [ReferralController, CaseController, SupervisionController],
  providers: [
    ReferralRepository,
    CaseRepository,
    AcknowledgeReferralHandler,
    AcceptReferralHandler,
    RejectReferralHandler,
    RequestInformationHandler,
    ActOnCaseHandler,
    ListInboxHandler,
    GetReferralHandler,
    ListCasesHandler,
    GetCaseHandler,
    ListSupervisedCasesHandler,
    ListEscalationsHandler,
    InboxConsumer,
    InformationConsumer,
    PoliceProjections,
    DeadlineWatcher,
  ],
  exports: [DeadlineWatcher],
})
export class PoliceModule {}
