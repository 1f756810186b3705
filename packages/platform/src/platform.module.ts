import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { DynamicModule, Global, Inject, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { MESSAGE_BUS, type DeadLetterStore, type MessageBus } from '@atr/bus';
import { SqliteEventStore, type CheckpointStore, type EventStore } from '@atr/event-store';
import { AGENCY_DIRECTORY, AgencyDirectory } from './auth/agency-directory';
import { ApiKeyGuard } from './auth/api-key.guard';
import { PLATFORM_CONFIG, type PlatformConfig } from './config/config';
import { CLOCK, systemClock, type Clock } from './domain/clock';
import { CommandRunner } from './domain/command-runner';
import { assertBusFits, createMessageBus, deadLetterStore } from './bus/message-bus.factory';
import type { ConsumerYield } from './bus/request-pressure';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { READ_MODELS, ReadModels } from './read-models/read-models';
import { CHECKPOINT_STORE, EVENT_STORE, SERVICE_NAME, THREAD_ROLE, type ThreadRole } from './tokens';

export interface PlatformOptions {
  /** Names the process: its read-model file and its logs. */
  name: string;
  config: PlatformConfig;
  clock?: Clock;
  agencies?: AgencyDirectory;
  /** What this thread runs (default 'all'); see THREAD_ROLE. */
  thread?: ThreadRole;
  /** The bus, when not the one BUS names (the HTTP thread's handle on a consumer thread). */
  bus?: (store: EventStore & CheckpointStore, deadLetters: DeadLetterStore) => MessageBus;
  /** Commit on the commit thread another thread's store shares (SqliteEventStore.commitPort). */
  commitPort?: MessagePort;
  /** How the in-process bus's consumers yield to a busy HTTP thread (see RequestPressure). */
  yielding?: ConsumerYield;
}

/** Starts consumers once every module has registered them, and stops them before the store closes. */
@Injectable()
class PlatformLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.bus.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.readModels.close();
    await this.store.close(); // waits for queued appends: an acknowledged append is never lost
  }
}

/** The adapter EVENT_STORE names. The KurrentDB client (and its native bridge) loads only when chosen. */
export function openEventStore(config: PlatformConfig, clock: Clock, commitPort?: MessagePort, wakeGapMs?: () => number): EventStore & CheckpointStore {
  if (config.EVENT_STORE === 'kurrentdb') {
    const { KurrentDbEventStore } = require('@atr/event-store-kurrentdb') as typeof import('@atr/event-store-kurrentdb');
    return KurrentDbEventStore.connect({ connectionString: config.KURRENTDB_URL! }); // recordedAt is the server's time
  }
  // commits (and their fsync) run on a thread of their own: the event loop serves requests meanwhile
  return SqliteEventStore.open({
    path: path.join(config.DATA_DIR, 'events.db'),
    now: () => clock.now(),
    commitThread: true,
    commitPort,
    wakeGapMs,
    // the WAL thread's syncs of the database file wait behind commits (BACKGROUND_THREADS)
    checkpointIo: config.BACKGROUND_THREADS === 'idle' ? 'idle' : 'normal',
  });
}

/**
 * The infrastructure every service module expects (event store, bus, clock, agencies, command
 * runner, read models, auth, error mapping, logs). Composed once per process: by a service's
 * own main.ts, or once for all services by the runner.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const clock = options.clock ?? systemClock;
    assertBusFits(options.name, config);
    mkdirSync(config.DATA_DIR, { recursive: true });
    return {
      module: PlatformModule,
      imports: [
        DiscoveryModule,
        CqrsModule.forRoot(),
        LoggerModule.forRoot({
          // no per-request middleware: bootstrap's logRequests writes the request lines (see there)
          forRoutes: [],
          pinoHttp: { level: config.LOG_LEVEL, base: { service: options.name }, redact: ['req.headers["x-api-key"]', 'req.headers.authorization'] },
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.name },
        { provide: THREAD_ROLE, useValue: options.thread ?? 'all' },
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: AGENCY_DIRECTORY, useFactory: () => options.agencies ?? AgencyDirectory.fromFile(config.AGENCIES_FILE) },
        { provide: EVENT_STORE, useFactory: () => openEventStore(config, clock, options.commitPort, options.yielding?.wakeGapMs) },
        // Checkpoints live beside the events: in the SQLite file, or in KurrentDB streams.
        { provide: CHECKPOINT_STORE, useExisting: EVENT_STORE },
        {
          provide: MESSAGE_BUS,
          inject: [EVENT_STORE, PinoLogger],
          useFactory: (store: EventStore & CheckpointStore, logger: PinoLogger) => {
            logger.setContext('bus');
            if (options.bus) return options.bus(store, deadLetterStore(options.name, config));
            return createMessageBus(options.name, config, store, (level, message, fields) => logger[level](fields, message), options.yielding?.pace);
          },
        },
        {
          provide: CommandRunner,
          inject: [EVENT_STORE, PinoLogger],
          useFactory: (store: EventStore, logger: PinoLogger) => {
            logger.setContext('events');
            return new CommandRunner(store, clock, (fields, message) => logger.info(fields, message));
          },
        },
        {
          provide: READ_MODELS,
          inject: [EVENT_STORE, MESSAGE_BUS],
          useFactory: (store: EventStore, bus: MessageBus) => new ReadModels(path.join(config.DATA_DIR, `read-models-${options.name}.db`), store, bus),
        },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        PlatformLifecycle,
      ],
      exports: [SERVICE_NAME, THREAD_ROLE, PLATFORM_CONFIG, CLOCK, AGENCY_DIRECTORY, EVENT_STORE, CHECKPOINT_STORE, MESSAGE_BUS, CommandRunner, READ_MODELS, CqrsModule],
    };
  }
}
