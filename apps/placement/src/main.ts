import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { PlatformModule, runPlatform } from '@atr/platform';
import { PlacementModule } from './placement.module';

void runPlatform(
  (config) => {
    @Module({ imports: [PlatformModule.forRoot({ name: 'placement', config }), PlacementModule] })
    class PlacementApp {}
    return PlacementApp;
  },
  'Placement service (rescue, placement, reintegration)',
);
