export const EVENT_STORE = Symbol('EVENT_STORE');
export const CHECKPOINT_STORE = Symbol('CHECKPOINT_STORE');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
