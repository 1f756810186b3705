import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import type { EventStore } from '@atr/event-store';
import { createPlatformApp } from '../bootstrap';
import { loadConfig, type PlatformConfig } from '../config/config';
import { ManualClock } from '../domain/clock';
import { PlatformModule } from '../platform.module';
import { EVENT_STORE } from '../tokens';

export interface TestApp {
  app: NestFastifyApplication;
  clock: ManualClock;
  store: EventStore;
  bus: MessageBus;
  config: PlatformConfig;
  dataDir: string;
  /** Sends a request with an API key (a demo key from infra/agencies.demo.json). */
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /**
   * Waits until every consumer has handled everything appended so far, including what consumers
   * append meanwhile (a hand-off chain: ClueReferred → ReferralReceived → …).
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the given service modules on the real platform (SQLite store in a temp dir, in-process
 * bus, demo agencies, a manual clock) and talks to it through Fastify's inject: real HTTP
 * handling without a port.
 */
export async function createTestApp(modules: Array<Type | DynamicModule>, overrides: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'atr-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEADLINE_CHECK_INTERVAL_MS: '0', ...overrides });
  const clock = new ManualClock();
  @Module({ imports: [PlatformModule.forRoot({ name: 'test', config, clock }), ...modules] })
  class TestRoot {}
  const app = await createPlatformApp(TestRoot, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const store = app.get<EventStore>(EVENT_STORE);
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  return {
    app,
    clock,
    store,
    bus,
    config,
    dataDir,
    async request(method, url, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.key) headers['x-api-key'] = options.key;
      const response = await app.inject({ method, url, headers, ...(options.body !== undefined ? { payload: options.body as object } : {}) });
      let body: unknown = response.body;
      try {
        body = response.json();
      } catch {
        /* not JSON */
      }
      return { status: response.statusCode, body, headers: response.headers };
    },
    async settle() {
      // bus.settled() covers the log as it was when called; repeat until no consumer appended more
      for (;;) {
        const head = await store.headPosition();
        await bus.settled();
        if ((await store.headPosition()) === head) return;
      }
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
