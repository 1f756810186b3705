/**
 * EventStore adapter on KurrentDB / EventStoreDB (@kurrent/kurrentdb-client). Design note:
 *
 * - globalPosition is the event's log position in $all (commit = prepare for every event the gRPC
 *   API writes). It is positive and strictly increasing in commit order, the same in every read,
 *   and resumable exactly, but sparse (a byte offset): never consecutive, so never do arithmetic
 *   on it beyond comparing. A dense 1..N sequence would need one global sequence stream every
 *   append contends on (or a multi-stream append, KurrentDB 25.1+), and would still break commit
 *   order or throughput; the contract suite already allows sparse positions (densePositions).
 * - append(): appends to one stream are serialized within the process; the stream is read first,
 *   so a retry of a stored batch returns alreadyAppended (whatever the expectation) and a partial
 *   repeat is refused. KurrentDB's own idempotence by event id (within a stream, at the expected
 *   revision) covers retries racing from other processes. Event ids are unique per stream only in
 *   KurrentDB, so each eventId is claimed for its stream first, in `_atr.eventid-<id>` with
 *   expected state no_stream and a claim id derived from (stream, eventId): a claim by another
 *   stream is a DuplicateEventIdError, a repeated claim by the same stream (a retry after a crash
 *   between claim and append) is a no-op. The cost is one small append per event. The expected
 *   revision is checked before claiming and again by the server (`streamState`).
 * - readAll()/subscribe() with `types` use a server-side event-type filter on $all; without types a
 *   stream-name filter that keeps system streams ($…), the adapter's own streams and other
 *   namespaces out. Every $all read passes maxCount (a read without it can exhaust memory).
 * - subscribe(): the next page is always read from $all after the cursor (exclusive), so
 *   catch-up and live are the same loop with no gap and no duplicate; a live $all subscription
 *   only wakes the loop and is resubscribed with backoff when it drops (the client does not).
 * - readCorrelation(): the $by_correlation_id system projection links each event to
 *   `$bc-<$correlationId>` (the adapter writes `$correlationId` into the metadata). Its last
 *   checkpoint says up to where the links are durable; the few events after it are found by a
 *   scan of $all, so a journey read right after an append is complete. Needs projections on
 *   (KURRENTDB_RUN_PROJECTIONS=System, KURRENTDB_START_STANDARD_PROJECTIONS=true) and read access
 *   to `$bc-` streams; without them it still answers, by scanning $all (slow on a large log).
 * - Durability: an append resolves once the server acknowledged it, i.e. written and flushed on
 *   a quorum of the cluster.
 * - Credentials: give each service its own user. KurrentDB ACLs are per stream (`$acl` in stream
 *   metadata, defaults in `$settings`): deny writes to user streams by default ($userStreamAcl),
 *   and let each service's store set `newStreamAcl` (write: that service) on the streams it
 *   creates; category-wide rules need KurrentDB's stream-policy authorization. Every service
 *   writes `_atr.eventid-*` claims and its own `_atr.checkpoint-<service>-*` streams.
 * - Checkpoints (CheckpointStore) live in KurrentDB, `_atr.checkpoint-<name>`, with $maxCount so
 *   old ones are scavenged: a service container keeps no bus state of its own.
 */
import { randomUUID } from 'node:crypto';
import { deterministicId, type NewEvent, type StoredEvent } from '@atr/contracts';
import {
  DuplicateEventIdError,
  READ_ALL_DEFAULT_LIMIT,
  READ_ALL_MAX_LIMIT,
  type AppendResult,
  type CheckpointStore,
  type EventStore,
  type ExpectedRevision,
  type ReadOptions,
  type StoredRecord,
  type StreamReadOptions,
  type Subscription,
  type SubscriptionHandler,
  type SubscriptionOptions,
} from '@atr/event-store';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  eventTypeFilter,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Filter,
  type StreamACL,
} from '@kurrent/kurrentdb-client';
import { asKurrentClient, type KurrentClient, type LiveNotifier } from './client';
import { fromRecorded, recordPosition, toEventData, toGlobalPosition, toLogPosition } from './codec';
import { CORRELATION_PROJECTION, parseCheckpointTag } from './correlation-index';
import { isStreamNotFound, isWrongExpectedVersion, mapAppendError, meetsExpectation, toStreamState, wrongRevision } from './errors';
import { KeyedLock } from './keyed-lock';
import { StreamNaming, eventTypesRegex } from './naming';
import { PullSubscription, type PullSource } from './pull-subscription';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@localhost:2113?tls=false`; or give `client`. */
  connectionString?: string;
  /** A client to use instead (it is not disposed by close()). */
  client?: KurrentClient;
  /** Prefix of every stream this store uses (letters, digits, _): isolates test runs on one server. */
  namespace?: string;
  /** How often an idle subscription reads the head (also covers a dropped live subscription). */
  pollIntervalMs?: number;
  /** ACL set on each stream this store creates (per-service credentials). */
  newStreamAcl?: StreamACL;
  /** Checkpoint events kept per consumer (older ones are scavenged). */
  checkpointsKept?: number;
}

const noop = () => {};
const CLAIM_NAMESPACE = 'atr-kurrentdb-eventid-claim';
/** Largest page asked of the server in one $all read. */
const SCAN_PAGE = 1000;

export class KurrentDbEventStore implements EventStore, CheckpointStore {
  private readonly client: KurrentClient;
  private readonly naming: StreamNaming;
  private readonly locks = new KeyedLock();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<PullSubscription>();
  private readonly checkpointStreamsPrepared = new Set<string>();
  private readonly source: PullSource;
  private closing: Promise<void> | undefined;

  static connect(options: KurrentDbEventStoreOptions): KurrentDbEventStore {
    return new KurrentDbEventStore(options);
  }

  constructor(private readonly options: KurrentDbEventStoreOptions) {
    if (!options.client && !options.connectionString) throw new Error('KurrentDbEventStore needs a connectionString or a client');
    this.client = options.client ?? asKurrentClient(KurrentDBClient.connectionString(options.connectionString!));
    this.naming = new StreamNaming(options.namespace);
    this.source = {
      headPosition: () => this.headPosition(),
      readPage: (after, types, limit) => this.collect(after, types, limit),
      watch: (types, wake) => this.watch(types, wake),
    };
  }

  get namespace(): string {
    return this.naming.namespace;
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0) return Promise.reject(new RangeError(`append to ${streamId}: no events`));
    let name: string;
    let data: ReturnType<typeof toEventData>[];
    try {
      name = this.naming.streamName(streamId);
      data = events.map((e) => toEventData(e, this.naming)); // snapshot now
      toStreamState(expected);
    } catch (error) {
      return Promise.reject(error);
    }
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(e.eventId)) return Promise.reject(new DuplicateEventIdError(e.eventId, 'repeated inside the batch'));
      seen.add(e.eventId);
    }
    const ids = events.map((e) => e.eventId);
    return this.track(this.locks.run(name, () => this.appendLocked(streamId, name, ids, data, expected)));
  }

  private async appendLocked(
    streamId: string,
    name: string,
    ids: string[],
    data: ReturnType<typeof toEventData>[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const stored = await this.readStream(streamId);
    const byId = new Map(stored.map((e) => [e.eventId, e]));
    const first = byId.get(ids[0]);
    if (first) {
      const batch = ids.map((_, i) => stored[first.streamRevision + i]);
      if (batch.every((e, i) => e?.eventId === ids[i])) {
        const last = batch[batch.length - 1];
        return { nextExpectedRevision: last.streamRevision, lastPosition: last.globalPosition, alreadyAppended: true };
      }
    }
    for (const id of ids) {
      const known = byId.get(id);
      if (known) throw new DuplicateEventIdError(id, `stored already in ${streamId} at revision ${known.streamRevision}, in another batch`);
    }
    const lastRevision = stored.length - 1;
    if (!meetsExpectation(expected, lastRevision)) throw wrongRevision(streamId, expected, lastRevision);

    await Promise.all(ids.map((id) => this.claim(streamId, id)));
    if (stored.length === 0 && this.options.newStreamAcl) {
      await this.client.setStreamMetadata(name, { acl: this.options.newStreamAcl });
    }
    let next: bigint;
    try {
      const result = await this.client.appendToStream(name, data, { streamState: toStreamState(expected) });
      next = result.nextExpectedRevision;
    } catch (error) {
      throw mapAppendError(error, streamId, expected);
    }
    const last = await this.eventAt(name, next);
    return { nextExpectedRevision: Number(next), lastPosition: last, alreadyAppended: false };
  }

  /** Claims `eventId` for `streamId`, or throws DuplicateEventIdError when another stream has it. */
  private async claim(streamId: string, eventId: string): Promise<void> {
    const claimStream = this.naming.claimStream(eventId);
    try {
      await this.client.appendToStream(
        claimStream,
        [{ id: deterministicId(CLAIM_NAMESPACE, streamId, eventId), contentType: 'application/json', type: 'EventIdClaimed', data: { streamId }, metadata: undefined }],
        { streamState: NO_STREAM },
      );
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
      const owner = await this.claimOwner(claimStream);
      if (owner !== streamId) throw new DuplicateEventIdError(eventId, `stored already in another stream (${owner})`);
    }
  }

  private async claimOwner(claimStream: string): Promise<string | undefined> {
    for await (const r of this.client.readStream(claimStream, { fromRevision: START, maxCount: 1 })) {
      return (r.event?.data as { streamId?: string } | undefined)?.streamId;
    }
    return undefined;
  }

  /** Position of the event at `revision` of a stream (the append result's position is not per event). */
  private async eventAt(name: string, revision: bigint): Promise<number> {
    for await (const r of this.client.readStream(name, { fromRevision: revision, maxCount: 1 })) {
      if (r.event && BigInt(r.event.revision) === revision) return toGlobalPosition(r.event.position, `event ${r.event.id} in ${name}`);
    }
    throw new Error(`${name}: the event at revision ${revision} just appended cannot be read back`);
  }

  async readStream(streamId: string, options: StreamReadOptions = {}): Promise<StoredEvent[]> {
    const name = this.naming.streamName(streamId);
    const { upToRevision, upToPosition } = options;
    const asOf = options.asOf === undefined ? undefined : Date.parse(options.asOf);
    if (asOf !== undefined && Number.isNaN(asOf)) throw new RangeError(`asOf is not an ISO 8601 instant: ${options.asOf}`);
    if (upToRevision !== undefined && upToRevision < 0) return [];
    const events: StoredEvent[] = [];
    try {
      const read = this.client.readStream(name, {
        fromRevision: START,
        direction: FORWARDS,
        ...(upToRevision !== undefined ? { maxCount: upToRevision + 1 } : {}),
      });
      for await (const resolved of read) {
        const event = fromRecorded(resolved, this.naming);
        if (!event) continue;
        if (upToRevision !== undefined && event.streamRevision > upToRevision) break;
        if (upToPosition !== undefined && event.globalPosition > upToPosition) break;
        if (asOf !== undefined && Date.parse(event.recordedAt) > asOf) continue;
        events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadOptions = {}): Promise<StoredEvent[]> {
    const limit = Math.min(Math.max(options.limit ?? READ_ALL_DEFAULT_LIMIT, 0), READ_ALL_MAX_LIMIT);
    if (limit < 1) return [];
    const { events } = await this.collect(options.after ?? 0, options.types, limit, options.upTo);
    return events;
  }

  /**
   * KurrentDB keeps the payload and envelope as the JSON bytes the client wrote
   * (JSON.stringify of what append() was given) but hands them back parsed, so the stored texts
   * are re-serialised here: byte-exact except for integer-like object keys, which JSON.parse
   * moves to the front (no payload schema of the platform has such keys).
   */
  async readRecords(options: ReadOptions = {}): Promise<StoredRecord[]> {
    return (await this.readAll(options)).map((event) => ({ ...event, actor: JSON.stringify(event.actor), payload: JSON.stringify(event.payload) }));
  }

  async readCorrelation(correlationId: string, options: { upTo?: number } = {}): Promise<StoredEvent[]> {
    const upTo = options.upTo ?? (await this.headPosition());
    if (upTo < 1) return [];
    const durableUpTo = await this.correlationCheckpoint();
    const found = new Map<number, StoredEvent>();
    try {
      const links = this.client.readStream(this.naming.correlationStream(correlationId), { fromRevision: START, resolveLinkTos: true });
      for await (const resolved of links) {
        const event = fromRecorded(resolved, this.naming);
        if (event && event.correlationId === correlationId && event.globalPosition <= upTo) found.set(event.globalPosition, event);
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    // Events the projection has not durably linked yet: at most a checkpoint interval of them.
    for (let after = Math.min(durableUpTo, upTo); after < upTo; ) {
      const { events, end } = await this.collect(after, undefined, SCAN_PAGE, upTo);
      for (const event of events) if (event.correlationId === correlationId) found.set(event.globalPosition, event);
      if (end || events.length === 0) break;
      after = events[events.length - 1].globalPosition;
    }
    return [...found.values()].sort((a, b) => a.globalPosition - b.globalPosition);
  }

  /** Up to where the $by_correlation_id links are durable; 0 (scan everything) when the projection is not there. */
  private async correlationCheckpoint(): Promise<number> {
    try {
      const status = await this.client.getProjectionStatus(CORRELATION_PROJECTION);
      return parseCheckpointTag(status.lastCheckpoint);
    } catch {
      return 0;
    }
  }

  async headPosition(): Promise<number> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: this.filterFor(undefined) });
    for await (const resolved of read) return recordPosition(resolved) ?? 0;
    return 0;
  }

  subscribe(options: SubscriptionOptions, handler: SubscriptionHandler): Subscription {
    if (this.closing) throw new Error('event store is closed');
    const subscription = new PullSubscription(this.source, options, handler, this.options.pollIntervalMs ?? 500);
    this.subscriptions.add(subscription);
    subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(noop);
    return subscription;
  }

  async load(name: string): Promise<number> {
    try {
      for await (const r of this.client.readStream(this.naming.checkpointStream(name), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const position = (r.event?.data as { position?: unknown } | undefined)?.position;
        return typeof position === 'number' ? position : 0;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return 0;
  }

  async save(name: string, position: number): Promise<void> {
    const stream = this.naming.checkpointStream(name);
    if (!this.checkpointStreamsPrepared.has(stream)) {
      await this.client.setStreamMetadata(stream, { maxCount: this.options.checkpointsKept ?? 10 });
      this.checkpointStreamsPrepared.add(stream);
    }
    await this.track(
      this.client.appendToStream(stream, [{ id: randomUUID(), contentType: 'application/json', type: 'CheckpointSaved', data: { position }, metadata: undefined }], {
        streamState: ANY,
      }),
    );
  }

  /** Stops subscriptions after their batch in flight, waits for appends in flight, then disconnects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      await Promise.allSettled([...this.inFlight]);
      if (!this.options.client) await this.client.dispose();
    })();
    return this.closing;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(noop);
    return promise;
  }

  /** The server-side filter: event types when given (other namespaces are dropped here), else this namespace's user streams. */
  private filterFor(types: readonly string[] | undefined): Filter {
    return types
      ? eventTypeFilter({ regex: eventTypesRegex(types) })
      : streamNameFilter({ regex: this.naming.userStreamsRegex() });
  }

  /**
   * Our events after `after` (exclusive) up to `upTo`, at most `limit`, reading $all page by page
   * with maxCount. `end`: the read reached the end of the log or `upTo`.
   */
  private async collect(
    after: number,
    types: readonly string[] | undefined,
    limit: number,
    upTo = Number.MAX_SAFE_INTEGER,
  ): Promise<{ events: StoredEvent[]; end: boolean }> {
    const events: StoredEvent[] = [];
    if (types?.length === 0 || after >= upTo) return { events, end: true };
    const wanted = types ? new Set(types) : undefined;
    const filter = this.filterFor(types);
    let cursor = after;
    for (;;) {
      const maxCount = Math.min(SCAN_PAGE, limit - events.length + 1);
      let returned = 0;
      const page: AsyncIterable<AllStreamResolvedEvent> = this.client.readAll({
        direction: FORWARDS,
        fromPosition: cursor > 0 ? toLogPosition(cursor) : START,
        maxCount,
        filter,
        resolveLinkTos: false,
      });
      for await (const resolved of page) {
        returned++;
        const position = recordPosition(resolved);
        if (position === undefined || position <= cursor) continue; // reads from a position include it
        if (position > upTo) return { events, end: true };
        cursor = position;
        const event = fromRecorded(resolved, this.naming);
        if (!event || (wanted && !wanted.has(event.type))) continue;
        events.push(event);
        if (events.length === limit) return { events, end: false };
      }
      if (returned < maxCount) return { events, end: true };
    }
  }

  /** Wakes a subscription on matching appends, through a live $all subscription resubscribed when it drops. */
  private watch(types: readonly string[] | undefined, wake: () => void): () => Promise<void> {
    let stopped = false;
    let current: LiveNotifier | undefined;
    let retry: NodeJS.Timeout | undefined;
    let failures = 0;
    const dropped = (notifier: LiveNotifier) => {
      if (stopped || current !== notifier) return;
      current = undefined;
      notifier.unsubscribe().catch(noop);
      wake(); // read meanwhile
      retry = setTimeout(open, Math.min(5000, 100 * 2 ** failures++));
    };
    const open = () => {
      if (stopped) return;
      let notifier: LiveNotifier;
      try {
        notifier = this.client.subscribeToAll({ fromPosition: END, filter: this.filterFor(types), resolveLinkTos: false });
      } catch {
        retry = setTimeout(open, Math.min(5000, 100 * 2 ** failures++));
        return;
      }
      current = notifier;
      // Appends made while it was down (or before it was confirmed) are read once it is live.
      notifier.on('confirmation', wake);
      notifier.on('data', () => {
        failures = 0;
        wake();
      });
      notifier.on('error', () => dropped(notifier));
      notifier.on('end', () => dropped(notifier));
      notifier.on('close', () => dropped(notifier));
    };
    open();
    return async () => {
      stopped = true;
      clearTimeout(retry);
      await current?.unsubscribe();
    };
  }
}
