export { platformRootModule, SERVICE_MODULES } from './platform.root';
