import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { AssessmentModule } from '@atr/assessment';
import { AuditModule } from '@atr/audit';
import { IntakeModule } from '@atr/intake';
import { PlacementModule } from '@atr/placement';
import { PoliceModule } from '@atr/police';
import { ConsumerThreadBus, PlatformModule, type Clock, type PlatformConfig, type PlatformOptions } from '@atr/platform';

/** Every service module, in the order a clue travels. */
export const SERVICE_MODULES = [IntakeModule, PoliceModule, PlacementModule, AssessmentModule, AuditModule];

@Module({})
class PlatformRoot {}

/**
 * All services in one process on the embedded defaults (one SQLite event store, the in-process
 * bus, one read-model file). The services still talk only through events: composing them here
 * changes where they run, not how they communicate.
 */
export function platformRootModule(config: PlatformConfig, options: { clock?: Clock } & Pick<PlatformOptions, 'thread' | 'bus'> = {}): DynamicModule {
  return {
    module: PlatformRoot,
    imports: [PlatformModule.forRoot({ name: 'platform', config, ...options }), ...SERVICE_MODULES],
  };
}

/** CONSUMERS, or its default: a worker thread wherever the embedded store and bus allow one. */
export function consumersOnThread(config: PlatformConfig): boolean {
  return (config.CONSUMERS ?? (config.BUS === 'in-process' && config.EVENT_STORE === 'sqlite' ? 'thread' : 'inline')) === 'thread';
}

/**
 * The HTTP thread's half of `npm start` with CONSUMERS=thread: the same services, whose consumers
 * and timed jobs run on a worker thread (consumers.worker) with its own connections to the same
 * store and read-model files.
 */
export function httpThreadModule(config: PlatformConfig, onCrash: (error: Error) => void): DynamicModule {
  return platformRootModule(config, {
    thread: 'http',
    bus: (_store, deadLetters) => new ConsumerThreadBus({ entry: consumerThreadEntry(), workerData: { config }, deadLetters, onCrash }),
  });
}

/** Built code runs the compiled worker; from TypeScript sources (the tests) it is compiled on the fly. */
function consumerThreadEntry(): { file: string; execArgv?: string[] } {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `consumers.worker${extension}`);
  if (extension !== '.ts') return { file };
  return { file, execArgv: ['--require', path.resolve(__dirname, '../../../packages/event-store/src/testing/register-ts.js')] };
}
