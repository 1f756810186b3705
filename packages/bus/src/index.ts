export * from './port';
export * from './in-process-bus';
export * from './coalescing-checkpoints';
