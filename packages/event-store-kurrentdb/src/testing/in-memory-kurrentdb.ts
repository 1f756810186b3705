import { EventEmitter } from 'node:events';
import {
  NotFoundError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendStreamState,
  type EventData,
  type Filter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type StreamMetadata,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
// The client's own conversion to the stored form ($acl, $w, $maxCount…), not exported at the top level.
import { prepareStreamMetadata } from '@kurrent/kurrentdb-client/dist/streams/utils/streamMetadata';
import type { KurrentClient, LiveNotifier } from '../client';

interface LogRecord {
  streamId: string;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  revision: bigint;
  created: Date;
  position: bigint;
}

export interface InMemoryKurrentDbOptions {
  /** Run the $by_correlation_id projection (links written, and checkpointed, every `linkEvery` events). */
  projections?: boolean;
  linkEvery?: number;
}

/**
 * A model of the parts of KurrentDB the adapter uses, for unit tests on machines without a
 * server. It follows the server's documented behaviour as we understand it: sparse log
 * positions with commit = prepare per event, $all reads inclusive of their start position, live
 * subscriptions from the end, server-side regex/prefix filters on stream name or event type,
 * optimistic concurrency with idempotent retries of the same event ids at the expected revision,
 * and the $by_correlation_id projection linking events to `$bc-<$correlationId>` streams behind a
 * checkpoint. It is a model, not the server: passing against it proves the adapter's logic only.
 */
export class InMemoryKurrentDb implements KurrentClient {
  readonly log: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly notifiers = new Set<{ emitter: EventEmitter; filter?: Filter }>();
  private readonly regexes = new Map<string, RegExp>();
  private nextPosition = 4096n;
  private projected = 0;
  private checkpoint = 0n;
  appendCalls = 0;

  constructor(private readonly options: InMemoryKurrentDbOptions = {}) {}

  async appendToStream(streamName: string, events: EventData[], { streamState }: { streamState: AppendStreamState }): Promise<AppendResult> {
    await new Promise((resolve) => setImmediate(resolve)); // let concurrent calls interleave, as over the network
    this.appendCalls++;
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length - 1;
    const fail = () =>
      new WrongExpectedVersionError(undefined, { streamName, expected: streamState, current: current < 0 ? 'no_stream' : BigInt(current) });
    const matchesFrom = (start: number) => events.every((e, i) => stream[start + i]?.id === e.id);
    const idempotent = (start: number) => ({ success: true, nextExpectedRevision: BigInt(start + events.length - 1), position: this.positionOf(stream[start + events.length - 1]) });
    if (streamState === 'any') {
      const at = stream.findIndex((r) => r.id === events[0].id);
      if (at >= 0) {
        if (matchesFrom(at)) return idempotent(at);
        throw fail();
      }
    } else if (streamState === 'stream_exists') {
      if (current < 0) throw fail();
    } else {
      const expected = streamState === 'no_stream' ? -1 : Number(streamState);
      if (expected !== current) {
        if (expected < current && matchesFrom(expected + 1)) return idempotent(expected + 1);
        throw fail();
      }
    }
    let last!: LogRecord;
    for (const e of events) last = this.write(streamName, e.type, e.id, e.data, e.metadata);
    this.project();
    return { success: true, nextExpectedRevision: last.revision, position: this.positionOf(last) };
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncGenerator<ResolvedEvent> {
    await Promise.resolve();
    const stream = this.streams.get(streamName);
    if (!stream) throw new StreamNotFoundError(undefined, streamName);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    let records = backwards ? [...stream].reverse() : [...stream];
    if (typeof from === 'bigint') records = records.filter((r) => (backwards ? r.revision <= from : r.revision >= from));
    let count = 0;
    for (const record of records) {
      if (count++ >= Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)) return;
      if (record.type === '$>' && options.resolveLinkTos) {
        const [revision, target] = [String(record.data).split('@')[0], String(record.data).split('@').slice(1).join('@')];
        const original = this.streams.get(target)?.[Number(revision)];
        yield { event: original && this.recorded(original), link: this.recorded(record) } as ResolvedEvent;
      } else {
        yield { event: this.recorded(record) } as ResolvedEvent;
      }
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<AllStreamResolvedEvent> {
    await Promise.resolve();
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    // forwards: from the first record at or after the position; backwards: from the last one before it
    const end = this.log.length;
    let i = typeof from === 'object' ? this.firstAtOrAfter(from.commit) : backwards ? end : 0;
    if (backwards) i--;
    let count = 0;
    for (; backwards ? i >= 0 : i < end; backwards ? i-- : i++) {
      const record = this.log[i];
      if (!this.matches(record, options.filter)) continue;
      if (count++ >= max) return;
      yield { event: this.recorded(record) } as AllStreamResolvedEvent;
    }
  }

  private firstAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid].position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): LiveNotifier {
    if (options.fromPosition !== 'end') throw new Error('the model only supports live subscriptions from the end');
    const entry = { emitter: new EventEmitter(), filter: options.filter };
    this.notifiers.add(entry);
    setImmediate(() => this.notifiers.has(entry) && entry.emitter.emit('confirmation'));
    return {
      on: (event, listener) => entry.emitter.on(event, listener),
      unsubscribe: async () => {
        this.notifiers.delete(entry);
      },
    };
  }

  /** Drops every live subscription with an error, as a server restart would. */
  dropSubscriptions(): void {
    for (const entry of [...this.notifiers]) {
      this.notifiers.delete(entry);
      entry.emitter.emit('error', new Error('connection reset'));
    }
  }

  get liveSubscriptions(): number {
    return this.notifiers.size;
  }

  async getProjectionStatus(name: string) {
    if (!this.options.projections || name !== '$by_correlation_id') throw new NotFoundError(undefined, `projection ${name} not found`);
    return { projectionStatus: 'Running' as const, lastCheckpoint: this.checkpoint > 0n ? `C:${this.checkpoint}/P:${this.checkpoint}` : '' };
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<unknown> {
    const meta = `$$${streamName}`;
    const record = this.write(meta, '$metadata', crypto.randomUUID(), prepareStreamMetadata(metadata), undefined);
    return { success: true, nextExpectedRevision: record.revision, position: this.positionOf(record) };
  }

  async dispose(): Promise<void> {}

  private write(streamId: string, type: string, id: string, data: unknown, metadata: unknown): LogRecord {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const body = JSON.stringify(data ?? null);
    const record: LogRecord = {
      streamId,
      id,
      type,
      data: JSON.parse(body),
      metadata: metadata === undefined ? undefined : JSON.parse(JSON.stringify(metadata)),
      revision: BigInt(stream.length),
      created: new Date(),
      position: this.nextPosition,
    };
    this.nextPosition += BigInt(96 + streamId.length + body.length); // a byte offset: sparse
    stream.push(record);
    this.log.push(record);
    for (const { emitter, filter } of this.notifiers) if (this.matches(record, filter)) emitter.emit('data', { event: this.recorded(record) });
    return record;
  }

  /** $by_correlation_id: links every `linkEvery` events at once, then checkpoints after them. */
  private project(): void {
    if (!this.options.projections) return;
    const every = this.options.linkEvery ?? 1;
    while (this.log.length - this.projected >= every) {
      const batch = this.log.slice(this.projected, this.projected + every);
      this.projected += every;
      for (const record of batch) {
        const key = (record.metadata as { $correlationId?: unknown } | undefined)?.$correlationId;
        if (typeof key === 'string' && !record.streamId.startsWith('$')) {
          this.write(`$bc-${key}`, '$>', crypto.randomUUID(), `${record.revision}@${record.streamId}`, undefined);
        }
      }
      this.checkpoint = batch[batch.length - 1].position;
    }
  }

  private matches(record: LogRecord, filter: Filter | undefined): boolean {
    if (!filter) return true;
    const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
    if ('regex' in filter) {
      let regex = this.regexes.get(filter.regex);
      if (!regex) this.regexes.set(filter.regex, (regex = new RegExp(filter.regex)));
      return regex.test(subject);
    }
    return filter.prefixes.some((p) => subject.startsWith(p));
  }

  private positionOf(record: LogRecord) {
    return { commit: record.position, prepare: record.position };
  }

  private recorded(record: LogRecord) {
    return {
      streamId: record.streamId,
      id: record.id,
      isJson: true,
      revision: record.revision,
      type: record.type,
      created: record.created,
      data: JSON.parse(JSON.stringify(record.data)),
      metadata: record.metadata === undefined ? undefined : JSON.parse(JSON.stringify(record.metadata)),
      position: this.positionOf(record),
    };
  }
}
