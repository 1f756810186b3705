import { parentPort } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { DynamicModule } from '@nestjs/common';
import { lowerThreadPriority, type BackgroundPriority } from '@atr/event-store';
import { MESSAGE_BUS, type MessageBus } from '@atr/bus';
import type { ConsumerThreadCall, ConsumerThreadMessage } from './consumer-thread-bus';

/**
 * The consumer thread's side (see ConsumerThreadBus): boots the services without HTTP, so their
 * consumers and timed jobs run here on the real bus, then answers the HTTP thread's calls until
 * asked to stop, when it closes the services (the bus finishes its batches, the store commits).
 */
export async function serveConsumerThread(root: DynamicModule, priority: BackgroundPriority): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveConsumerThread runs on a worker thread');
  const post = (message: ConsumerThreadMessage) => port.postMessage(message);
  // when a burst of submissions needs every core, the HTTP thread gets it first and the
  // consumers work the backlog off right after
  await lowerThreadPriority(priority);
  let app;
  try {
    app = await NestFactory.createApplicationContext(root, { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(Logger));
  } catch (error) {
    post({ kind: 'failed', error: String((error as Error)?.stack ?? error) });
    return;
  }
  const context = app;
  const bus = context.get<MessageBus>(MESSAGE_BUS);
  let stopping = false;
  port.on('message', (message: ConsumerThreadCall | { stop: true }) => {
    if ('stop' in message) {
      if (stopping) return;
      stopping = true;
      // process.exit on a worker thread ends only this thread, once the store has committed
      void context.close().finally(() => process.exit(0));
      return;
    }
    void answer(bus, message).then(
      (value) => post({ kind: 'answer', id: message.id, value }),
      (error) => post({ kind: 'answer', id: message.id, error: String((error as Error)?.message ?? error) }),
    );
  });
  post({ kind: 'ready' });
}

function answer(bus: MessageBus, call: ConsumerThreadCall): Promise<unknown> {
  switch (call.method) {
    case 'settled':
      return bus.settled();
    case 'status':
      return bus.status();
    case 'redrive':
      return bus.redrive(call.group);
    case 'pause':
      return bus.pause(call.group);
    case 'resume':
      return Promise.resolve(bus.resume(call.group));
  }
}
