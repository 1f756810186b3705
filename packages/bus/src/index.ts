export * from './port';
export * from './in-process-bus';
