import { workerData } from 'node:worker_threads';
import { RequestPressure, serveConsumerThread } from '@atr/platform';
import { platformRootModule, type ConsumerThreadData } from './platform.root';

// The consumer thread of `npm start` (see httpThreadModule): every service without HTTP.
const { config, commitPort, pressure } = workerData as ConsumerThreadData;
void serveConsumerThread(
  platformRootModule(config, { thread: 'consumers', commitPort, yielding: new RequestPressure(pressure).yielding(config.CONSUMERS_YIELD_ABOVE_RPS) }),
  config.BACKGROUND_THREADS,
);
