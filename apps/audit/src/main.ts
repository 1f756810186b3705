import { Module } from '@nestjs/common';
import { PlatformModule, runPlatform } from '@atr/platform';
import { AuditModule } from './audit.module';

void runPlatform((config) => {
  @Module({ imports: [PlatformModule.forRoot({ name: 'audit', config }), AuditModule] })
  class AuditRoot {}
  return AuditRoot;
}, 'Audit service');
