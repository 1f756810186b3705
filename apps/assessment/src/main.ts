import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { PlatformModule, runPlatform } from '@atr/platform';
import { AssessmentModule } from './assessment.module';

void runPlatform(
  (config) => {
    @Module({ imports: [PlatformModule.forRoot({ name: 'assessment', config }), AssessmentModule] })
    class AssessmentApp {}
    return AssessmentApp;
  },
  'Assessment service (medical, psychological, disability, adoption, risk)',
);
