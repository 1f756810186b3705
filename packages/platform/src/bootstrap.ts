import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { FastifyInstance } from 'fastify';
import type { DynamicModule, Type } from '@nestjs/common';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import { ConsumerThreadBus } from './bus/consumer-thread-bus';
import { ConfigError, loadConfig, type PlatformConfig } from './config/config';
import { buildOpenApiDocument } from './openapi/openapi';

/**
 * The caller's X-Request-Id when it is well-formed, else a UUID. Fastify's default ("req-1",
 * "req-2"…) restarts with every process, and the request id becomes the causationId of commands
 * from people, so it must be unique across processes and restarts.
 */
export function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** Creates the HTTP application: Fastify with a body limit, JSON logs, OpenAPI at /docs. */
export async function createPlatformApp(root: Type | DynamicModule, config: PlatformConfig, title = 'Anti-trafficking clue referral platform') {
  const adapter = new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, requestIdHeader: false, logger: false, genReqId: requestIdOf });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // On close, Fastify drops the connections idle at that moment; a keep-alive connection whose
  // request is still in flight would stay open after its response and hold the shutdown until
  // the grace period kills the process, so responses sent while closing also close theirs.
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
  logRequests(fastify);
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  if (bus instanceof ConsumerThreadBus) {
    // the consumer thread yields while this thread is busy with requests (see RequestPressure)
    fastify.addHook('onRequest', (_request, _reply, done) => {
      bus.requestArrived();
      done();
    });
  }
  const document = buildOpenApiDocument(app, {
    title,
    version: '0.1.0',
    description: 'Every route validates its input with zod and checks the calling agency and role (X-Api-Key).',
  });
  SwaggerModule.setup('docs', app, document as never, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/**
 * One JSON line per answered request, from a Fastify hook. nestjs-pino's request middleware (a
 * child logger and an AsyncLocalStorage scope for every request, through Nest's middleware
 * layer) took about a sixth of the HTTP thread under load. Lines logged while a request is
 * handled name their correlation and causation ids as fields (see CommandRunner); the causation
 * of a person's command is this request id.
 */
function logRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const log = PinoLogger.root;
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (log?.isLevelEnabled(level)) {
      log[level](
        {
          // flat fields: pino's req/res serializers expect Node's request and response objects
          reqId: request.id,
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          responseTime: Math.round(reply.elapsedTime),
          remoteAddress: request.ip,
          correlationId: request.headers['x-correlation-id'],
        },
        'request completed',
      );
    }
    done();
  });
}

/**
 * Runs an application until SIGTERM/SIGINT, then shuts down gracefully: stop accepting, finish
 * in-flight requests (and the appends they wait on), stop consumers, close the store.
 */
export async function runPlatform(build: (config: PlatformConfig) => Type | DynamicModule, title?: string): Promise<NestFastifyApplication> {
  let config: PlatformConfig;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(78); // EX_CONFIG
  }
  let root: Type | DynamicModule;
  try {
    root = build(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
  const app = await createPlatformApp(root, config, title);
  const logger = app.get(Logger);
  await app.listen(config.PORT, config.HOST);
  logger.log(`listening on http://${config.HOST}:${config.PORT} (OpenAPI at /docs, data in ${config.DATA_DIR})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing in-flight requests, then closing`);
    const force = setTimeout(() => {
      logger.error('shutdown grace period exceeded; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return app;
}
