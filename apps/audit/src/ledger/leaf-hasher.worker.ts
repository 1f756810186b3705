// The ledger's hashing thread (see LeafHasher): reads the store file itself and hashes each
// event as stored, so the HTTP thread only appends the finished leaves to its tree.
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority, openStoreReader, type BackgroundPriority, type StoreReaderSpec } from '@atr/event-store';
import { readLeafPage } from './leaf-page';

export interface LeafHasherData {
  spec: StoreReaderSpec;
  priority: BackgroundPriority;
}

export interface LeafRequest {
  id: number;
  after: number;
  limit: number;
}

const { spec, priority } = workerData as LeafHasherData;
const store = openStoreReader(spec);
// lowered alongside the first requests, which need not wait for it
void lowerThreadPriority(priority);
parentPort!.on('message', ({ id, after, limit }: LeafRequest) => {
  readLeafPage(store, after, limit).then(
    (page) => parentPort!.postMessage({ id, page }, [page.positions.buffer as ArrayBuffer, page.hashes.buffer as ArrayBuffer]),
    (error) => parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error) }),
  );
});
