export { PlacementModule } from './placement.module';
