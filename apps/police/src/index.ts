export { PoliceModule } from './police.module';
