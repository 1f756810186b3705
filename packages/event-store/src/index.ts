export * from './port';
export * from './errors';
export * from './read-all';
export * from './sqlite/sqlite-event-store';
export * from './open-reader';
export { LoopSubscription } from './loop-subscription';
export { EVENT_COLUMNS, rawRowToRecord, type RawEventRow } from './sqlite/codec';
export { workerEntry } from './worker-entry';
export { BACKGROUND_NICE, lowerThreadPriority, type BackgroundPriority } from './background-thread';
