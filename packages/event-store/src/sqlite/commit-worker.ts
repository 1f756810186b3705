// Entry of the commit thread (see ./commit-thread): runs the batches stores post as write
// transactions on its own connection and replies with the outcomes once COMMIT returned. Stores
// of other threads of the process may post on ports of their own (type 'client'): one thread
// commits for all of them, and the batches that arrived meanwhile share one transaction.
import { BroadcastChannel, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BatchExecutor } from './batch-executor';
import { toWireError, toWireOutcome, type CommitReply, type CommitRequest, type CommitThreadConfig } from './commit-messages';
import { startWalCheckpointer } from './wal-checkpointer';
import { wakeChannelName } from './wake-channel';

type Batch = Extract<CommitRequest, { type: 'batch' }>;

const config = workerData as CommitThreadConfig;
const owner = parentPort!;
// The store's own connection already set WAL (a property of the file) and migrated the schema.
const db = new Database(config.path, { timeout: config.busyTimeoutMs });
db.pragma(`synchronous = ${config.synchronous}`);
// WAL checkpoints (copying the log into the file, with its own fsync) would stall a commit for
// tens of milliseconds every few thousand events: a thread of their own runs them instead
db.pragma('wal_autocheckpoint = 0');
let restartLog = false;
const checkpointer = startWalCheckpointer(config, () => (restartLog = true));
const executor = new BatchExecutor(db);
// Wakes the subscriptions of every store on this file in this process after a commit that
// appended, those of the stores that posted the batches included: the threads that post them
// (the HTTP thread) need neither post a wake nor run a second one of their own.
const wake = new BroadcastChannel(wakeChannelName(config.path));
const clients = new Set<MessagePort>();
let waiting: { port: MessagePort; batch: Batch }[] = [];
/** Numbers the transactions: the batches one of them merged get its number in their replies. */
let transactions = 0;

function serve(port: MessagePort, isOwner: boolean): void {
  port.on('message', (request: CommitRequest) => {
    if (request.type === 'client') {
      clients.add(request.port);
      request.port.once('close', () => clients.delete(request.port));
      serve(request.port, false);
    } else if (request.type === 'close') {
      if (!isOwner) return; // a client lets go by closing its port (see 'close' above)
      commit(); // anything a client posted before the owner closed
      db.close();
      wake.close();
      for (const client of clients) client.close(); // their stores learn the thread is gone
      void checkpointer.stop().finally(() => owner.close()); // then nothing keeps this thread alive: it ends
    } else {
      waiting.push({ port, batch: request });
      if (waiting.length === 1) setImmediate(commit);
    }
  });
}

/** Every batch that arrived since the last commit, in one transaction; each store gets its own outcomes. */
function commit(): void {
  const batches = waiting;
  waiting = [];
  if (batches.length === 0 || !db.open) return;
  const appends = batches.flatMap(({ batch }) => batch.appends);
  const now = batches.reduce((latest, { batch }) => (batch.now > latest ? batch.now : latest), '');
  const transaction = ++transactions;
  const started = performance.now();
  let outcomes: CommitReply[];
  try {
    const executed = executor.execute(appends, now);
    const tookMs = performance.now() - started;
    if (executed.some((o) => o.ok && !o.result.alreadyAppended)) wake.postMessage(null);
    const all = executed.map(toWireOutcome);
    let from = 0;
    outcomes = batches.map(({ batch }) => ({ outcomes: all.slice(from, (from += batch.appends.length)), commit: transaction, tookMs }));
  } catch (error) {
    const tookMs = performance.now() - started;
    const lost = toWireError(error);
    outcomes = batches.map(() => ({ lost, commit: transaction, tookMs }));
  }
  batches.forEach(({ port }, i) => port.postMessage(outcomes[i]));
  if (restartLog) {
    restartLog = false;
    startLogOver();
  }
}

/**
 * Copies what the log gained since the checkpoint thread's last copy (see ./wal-checkpointer),
 * so that the next commit writes the log from its beginning again. Batches that arrive
 * meanwhile wait for it, as they wait for a commit.
 */
function startLogOver(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or I/O trouble: the log stays long until the next request
  }
}

serve(owner as unknown as MessagePort, true);
