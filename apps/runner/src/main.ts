import { runPlatform } from '@atr/platform';
import { platformRootModule } from './platform.root';

// `npm start` from the repository root: http://127.0.0.1:3000 (HOST, PORT), data in ./data (DATA_DIR).
void runPlatform((config) => platformRootModule(config));
