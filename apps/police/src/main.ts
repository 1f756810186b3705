import { Module } from '@nestjs/common';
import { PlatformModule, runPlatform } from '@atr/platform';
import { PoliceModule } from './police.module';

void runPlatform((config) => {
  @Module({ imports: [PlatformModule.forRoot({ name: 'police', config }), PoliceModule] })
  class PoliceServiceRoot {}
  return PoliceServiceRoot;
}, 'Police service');
