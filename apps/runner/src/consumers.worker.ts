import { workerData } from 'node:worker_threads';
import { serveConsumerThread, type PlatformConfig } from '@atr/platform';
import { platformRootModule } from './platform.root';

// The consumer thread of `npm start` (see httpThreadModule): every service without HTTP.
const { config } = workerData as { config: PlatformConfig };
void serveConsumerThread(platformRootModule(config, { thread: 'consumers' }));
