import type { CheckpointStore } from '@atr/event-store';

/**
 * Saves checkpoints at most every `intervalMs` (the latest value wins). The processes and threads
 * that share one SQLite file queue for its write lock, and a checkpoint saved after every small
 * batch — by each group and relay — took that lock many times per commit of the events themselves
 * (SQLite's busy wait sleeps, and blocks the event loop while it does). A checkpoint never
 * moves ahead of what was handled or acknowledged, only later: a crash redelivers at most one
 * interval more, which idempotent consumers absorb. flush() (on stop) writes what is pending.
 */
export class CoalescingCheckpoints implements CheckpointStore {
  private readonly pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly inner: CheckpointStore,
    private readonly intervalMs = 200,
  ) {}

  async load(name: string): Promise<number> {
    return this.pending.get(name) ?? (await this.inner.load(name));
  }

  async save(name: string, position: number): Promise<void> {
    this.pending.set(name, Math.max(position, this.pending.get(name) ?? 0));
    this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.intervalMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    if (batch.length === 0) return;
    if (this.inner.saveAll) await this.inner.saveAll(batch);
    else for (const [name, position] of batch) await this.inner.save(name, position);
  }
}
