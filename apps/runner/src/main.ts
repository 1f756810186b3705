import { runPlatform } from '@atr/platform';
import { consumersOnThread, httpThreadModule, platformRootModule } from './platform.root';

// `npm start` from the repository root: http://127.0.0.1:3000 (HOST, PORT), data in ./data (DATA_DIR).
void runPlatform((config) =>
  consumersOnThread(config)
    ? httpThreadModule(config, (error) => {
        // consumers gone means hand-offs stop: exit, and a restart resumes them from their checkpoints
        console.error(JSON.stringify({ level: 'fatal', time: Date.now(), msg: `consumer thread failed: ${error.message}` }));
        process.exit(1);
      })
    : platformRootModule(config),
);
