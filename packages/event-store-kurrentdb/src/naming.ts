/**
 * How the port's stream ids map to KurrentDB stream names, and the server-side filters that
 * keep the adapter's own streams, system streams and other namespaces out of every read.
 *
 * - A port stream `clue-42` is the KurrentDB stream `clue-42` (category `clue`, so $ce-clue and
 *   per-category ACLs work as usual); with a namespace `t1`, it is `t1.clue-42`.
 * - The adapter's own streams start with `_atr.` (after the namespace): `_atr.eventid-<uuid>`
 *   claims an eventId for one stream, `_atr.checkpoint-<name>` keeps a consumer checkpoint.
 *   Port stream ids may not start with `_atr.` or `$`.
 */
export const INTERNAL_PREFIX = '_atr.';
export const CLAIM_CATEGORY = `${INTERNAL_PREFIX}eventid`;
export const CHECKPOINT_CATEGORY = `${INTERNAL_PREFIX}checkpoint`;

/** Escapes a literal for a regular expression (the server's .NET regex and JavaScript agree here). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

export class StreamNaming {
  /** `<namespace>.` or nothing. */
  readonly prefix: string;

  constructor(readonly namespace = '') {
    if (namespace && !/^[A-Za-z0-9_]+$/.test(namespace)) {
      throw new Error(`KurrentDB namespace "${namespace}" may only contain letters, digits and _`);
    }
    this.prefix = namespace ? `${namespace}.` : '';
  }

  /** The KurrentDB stream of a port stream id; refuses ids that would leave the user space. */
  streamName(streamId: string): string {
    if (!streamId) throw new Error('stream id is empty');
    if (streamId.startsWith('$') || streamId.startsWith(INTERNAL_PREFIX)) {
      throw new Error(`stream id "${streamId}" is reserved (it starts with "$" or "${INTERNAL_PREFIX}")`);
    }
    return this.prefix + streamId;
  }

  /** The port stream id of a KurrentDB stream, or undefined when it is not a user stream of this namespace. */
  streamIdOf(streamName: string): string | undefined {
    if (!streamName.startsWith(this.prefix)) return undefined;
    const id = streamName.slice(this.prefix.length);
    if (!id || id.startsWith('$') || id.startsWith(INTERNAL_PREFIX)) return undefined;
    return id;
  }

  /** Server-side stream-name regex matching exactly the user streams of this namespace. */
  userStreamsRegex(): string {
    return `^${escapeRegex(this.prefix)}(?!\\$|${escapeRegex(INTERNAL_PREFIX)})`;
  }

  claimStream(eventId: string): string {
    return `${this.prefix}${CLAIM_CATEGORY}-${eventId}`;
  }

  checkpointStream(name: string): string {
    if (!/^[\w.:-]{1,200}$/.test(name)) throw new Error(`checkpoint name "${name}" is not a valid stream suffix`);
    return `${this.prefix}${CHECKPOINT_CATEGORY}-${name}`;
  }

  /**
   * The `$correlationId` the $by_correlation_id system projection indexes, so one journey is the
   * stream `$bc-<key>` (namespaced so test runs on one server never mix).
   */
  correlationKey(correlationId: string): string {
    return this.prefix + correlationId;
  }

  correlationStream(correlationId: string): string {
    return `$bc-${this.correlationKey(correlationId)}`;
  }
}

/** Server-side event-type regex matching exactly these types (a prefix filter would also match `ClueSubmittedV2`). */
export function eventTypesRegex(types: readonly string[]): string {
  if (types.length === 0) return '(?!)'; // matches nothing, as an empty IN () would
  return `^(?:${[...new Set(types)].map(escapeRegex).join('|')})$`;
}
