export const EVENT_STORE = Symbol('EVENT_STORE');
export const CHECKPOINT_STORE = Symbol('CHECKPOINT_STORE');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/**
 * What this thread runs. 'all': everything (one thread). When `npm start` runs the consumers on a
 * worker thread (CONSUMERS=thread): 'http' serves requests and keeps the ledger, 'consumers' runs
 * the bus consumers and the timed jobs (deadline checks).
 */
export type ThreadRole = 'all' | 'http' | 'consumers';
export const THREAD_ROLE = Symbol('THREAD_ROLE');
