export * from './kurrentdb-event-store';
export type { KurrentClient, LiveNotifier } from './client';
export { StreamNaming } from './naming';
