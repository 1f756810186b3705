import { Module } from '@nestjs/common';
import { PlatformModule, runPlatform } from '@atr/platform';
import { IntakeModule } from './intake.module';

void runPlatform(
  (config) => {
    @Module({ imports: [PlatformModule.forRoot({ name: 'intake', config }), IntakeModule] })
    class IntakeService {}
    return IntakeService;
  },
  'Intake: clue submission, triage, referral and feedback',
);
