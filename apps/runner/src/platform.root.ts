import type { MessagePort } from 'node:worker_threads';
import { Module, type DynamicModule } from '@nestjs/common';
import { AssessmentModule } from '@atr/assessment';
import { AuditModule } from '@atr/audit';
import { IntakeModule } from '@atr/intake';
import { PlacementModule } from '@atr/placement';
import { PoliceModule } from '@atr/police';
import { workerEntry, type SqliteEventStore } from '@atr/event-store';
import { ConsumerThreadBus, PlatformModule, RequestPressure, type Clock, type PlatformConfig, type PlatformOptions } from '@atr/platform';

/** Every service module, in the order a clue travels. */
export const SERVICE_MODULES = [IntakeModule, PoliceModule, PlacementModule, AssessmentModule, AuditModule];

@Module({})
class PlatformRoot {}

/**
 * All services in one process on the embedded defaults (one SQLite event store, the in-process
 * bus, one read-model file). The services still talk only through events: composing them here
 * changes where they run, not how they communicate.
 */
export function platformRootModule(config: PlatformConfig, options: { clock?: Clock } & Pick<PlatformOptions, 'thread' | 'bus' | 'commitPort' | 'yielding'> = {}): DynamicModule {
  return {
    module: PlatformRoot,
    imports: [PlatformModule.forRoot({ name: 'platform', config, ...options }), ...SERVICE_MODULES],
  };
}

/** What the consumer thread (consumers.worker) is started with. */
export interface ConsumerThreadData {
  config: PlatformConfig;
  /** Its store commits on the HTTP thread's commit thread. */
  commitPort: MessagePort;
  /** The HTTP thread's request count (see RequestPressure). */
  pressure: SharedArrayBuffer;
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
    bus: (store, deadLetters) => {
      // the worker's store commits on this store's commit thread: the two never wait for each other's write lock
      const commitPort = (store as SqliteEventStore).commitPort();
      const pressure = new RequestPressure();
      const workerData: ConsumerThreadData = { config, commitPort, pressure: pressure.buffer };
      return new ConsumerThreadBus({ entry: workerEntry(__filename, 'consumers.worker'), workerData, transferList: [commitPort], deadLetters, pressure, onCrash });
    },
  });
}
