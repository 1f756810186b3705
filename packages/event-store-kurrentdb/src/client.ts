import type {
  AllStreamResolvedEvent,
  AppendResult,
  AppendStreamState,
  EventData,
  KurrentDBClient,
  ProjectionDetails,
  ReadAllOptions,
  ReadStreamOptions,
  ResolvedEvent,
  StreamMetadata,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';

/** A live $all subscription as the adapter uses it: only as a wake-up signal. */
export interface LiveNotifier {
  on(event: string, listener: (...args: any[]) => void): unknown;
  unsubscribe(): Promise<void>;
}

/**
 * The part of KurrentDBClient the adapter uses. Naming it keeps the adapter honest about what it
 * depends on, and lets the unit tests run the contract suite on an in-memory model of it.
 */
export interface KurrentClient {
  appendToStream(streamName: string, events: EventData[], options: { streamState: AppendStreamState }): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): LiveNotifier;
  getProjectionStatus(projectionName: string): Promise<Pick<ProjectionDetails, 'projectionStatus' | 'lastCheckpoint'>>;
  setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<unknown>;
  dispose(): Promise<void>;
}

/** Compile-time proof that the real client has that shape. */
export const asKurrentClient = (client: KurrentDBClient): KurrentClient => client;
