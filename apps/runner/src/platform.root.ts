import { Module, type DynamicModule } from '@nestjs/common';
import { AssessmentModule } from '@atr/assessment';
import { AuditModule } from '@atr/audit';
import { IntakeModule } from '@atr/intake';
import { PlacementModule } from '@atr/placement';
import { PoliceModule } from '@atr/police';
import { PlatformModule, type Clock, type PlatformConfig } from '@atr/platform';

/** Every service module, in the order a clue travels. */
export const SERVICE_MODULES = [IntakeModule, PoliceModule, PlacementModule, AssessmentModule, AuditModule];

@Module({})
class PlatformRoot {}

/**
 * All services in one process on the embedded defaults (one SQLite event store, the in-process
 * bus, one read-model file). The services still talk only through events: composing them here
 * changes where they run, not how they communicate.
 */
export function platformRootModule(config: PlatformConfig, options: { clock?: Clock } = {}): DynamicModule {
  return {
    module: PlatformRoot,
    imports: [PlatformModule.forRoot({ name: 'platform', config, clock: options.clock }), ...SERVICE_MODULES],
  };
}
