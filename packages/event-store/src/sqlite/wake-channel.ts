import { resolve } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';

/**
 * Tells the other store instances of this process on the same file (typically in other threads,
 * running consumers) that a commit appended, so their subscriptions look now instead of at the
 * next poll. Other processes still rely on the poll. Unref'd: it never keeps a process alive.
 */
export class WakeChannel {
  private readonly channel: BroadcastChannel;

  constructor(file: string, onWake: () => void) {
    this.channel = new BroadcastChannel(wakeChannelName(file));
    this.channel.onmessage = () => onWake();
    (this.channel as BroadcastChannel & { unref(): void }).unref(); // missing from @types/node
  }

  /** Reaches every other instance on this file in this process, not this one. */
  post(): void {
    this.channel.postMessage(null);
  }

  close(): void {
    this.channel.close();
  }
}

export function wakeChannelName(file: string): string {
  return `atr-event-store:${resolve(file)}`;
}
