import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { deterministicId, LEDGER_CORRELATION, LEDGER_STREAM, LedgerCheckpointed, type Actor, type LedgerCheckpoint, type NewEvent } from '@atr/contracts';
import type { EventStore, StoredRecord } from '@atr/event-store';
import { createSigner, leafHashOfRecord, loadTree, MerkleTree, privateKeyFromPem, saveTree, verifyCheckpoint, type CheckpointSigner } from '@atr/ledger';
import { AGENCY_DIRECTORY, CLOCK, EVENT_STORE, PLATFORM_CONFIG, REPO_ROOT, systemActor, THREAD_ROLE, type AgencyDirectory, type Clock, type PlatformConfig, type ThreadRole } from '@atr/platform';
import { LeafHasher } from './leaf-hasher';
import type { LeafPage } from './leaf-page';
import { LeafPositions } from './leaf-positions';

const PAGE = 5000;
/** How often the tree takes in what the log gained (every read of the ledger does it first, too). */
const FOLLOW_EVERY_MS = 250;
/** Save the tree for a quick restart once it grew by this many leaves since the last save. */
const SAVE_EVERY = 100_000;
const DEMO_KEY = path.join(REPO_ROOT, 'infra', 'ledger', 'demo-signing-key.pem');

/**
 * The ledger: an RFC 9162 Merkle tree over the global log in commit order, leaf i being the
 * i-th event as stored (its exact stored bytes, see @atr/ledger entryBytes). It follows the log,
 * signs a checkpoint (C2SP, Ed25519) every LEDGER_CHECKPOINT_EVERY events or
 * LEDGER_CHECKPOINT_INTERVAL_MS, and records each one as a LedgerCheckpointed event, so the
 * checkpoints are in the log they vouch for. Every checkpoint found in the log is checked
 * against the tree as it is rebuilt: a rewritten history shows up as a problem at start-up.
 */
@Injectable()
export class LedgerService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('ledger');
  private tree = new MerkleTree();
  private positions = new LeafPositions();
  private readonly checkpointList: LedgerCheckpoint[] = [];
  private readonly problemList: string[] = [];
  /** Leaves since the last checkpoint event that are not checkpoints themselves. */
  private pending = 0;
  private lastEventId = '';
  private savedSize = 0;
  private saving?: Promise<void>;
  private signer!: CheckpointSigner;
  private actor!: Actor;
  private poller?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private following: Promise<void> = Promise.resolve();
  private signing?: Promise<LedgerCheckpoint | null>;
  private started = false;
  private readonly hasher: LeafHasher;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(THREAD_ROLE) private readonly role: ThreadRole,
  ) {
    this.hasher = new LeafHasher(store, config.BACKGROUND_THREADS);
  }

  get origin(): string {
    return this.config.LEDGER_ORIGIN;
  }

  get verifierKey(): string {
    return this.signer.verifierKey;
  }

  get publicKeyPem(): string {
    return this.signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  get size(): number {
    return this.tree.size;
  }

  get lastPosition(): number {
    return this.positions.last;
  }

  get problems(): readonly string[] {
    return this.problemList;
  }

  checkpoints(): readonly LedgerCheckpoint[] {
    return this.checkpointList;
  }

  root(size = this.tree.size): Buffer {
    return this.tree.rootAt(size);
  }

  leafHash(index: number): Buffer {
    return this.tree.leafHash(index);
  }

  inclusionProof(index: number, size: number): Buffer[] {
    return this.tree.inclusionProof(index, size);
  }

  consistencyProof(from: number, to: number): Buffer[] {
    return this.tree.consistencyProof(from, to);
  }

  positionOf(leafIndex: number): number | undefined {
    return this.positions.positionOf(leafIndex);
  }

  leafIndexOf(position: number): number | undefined {
    return this.positions.indexOf(position);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.role === 'consumers') return; // the HTTP thread keeps the ledger: it serves the proofs
    if (!this.store.readRecords) throw new Error('the ledger needs an event store that returns events as stored (EventStore.readRecords)');
    this.signer = createSigner(this.origin, privateKeyFromPem(readFileSync(this.config.LEDGER_SIGNING_KEY_FILE, 'utf8')));
    if (path.resolve(this.config.LEDGER_SIGNING_KEY_FILE) === DEMO_KEY) {
      this.logger.warn('checkpoints are signed with the DEMO key (infra/ledger): set LEDGER_SIGNING_KEY_FILE for anything but a demo');
    }
    this.actor = this.ledgerActor();
    await this.loadSavedTree();
    await this.follow();
    this.logger.log(`ledger of ${this.tree.size} events, root ${this.tree.root().toString('base64')}, ${this.checkpointList.length} checkpoints, verifier key ${this.verifierKey}`);
    for (const problem of this.problemList) this.logger.error(`ledger integrity: ${problem}`);
    // a poll of raw rows, not a subscription: a subscription would parse every payload only to wake us
    this.poller = setInterval(() => void this.follow().catch((error) => this.logger.error(`ledger could not follow the log: ${String(error)}`)), FOLLOW_EVERY_MS);
    this.poller.unref();
    const interval = this.config.LEDGER_CHECKPOINT_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => void this.checkpoint().catch((error) => this.logger.error(`checkpoint failed: ${String(error)}`)), interval);
      this.timer.unref();
    }
    this.started = true;
  }

  /** Before the store closes: no new checkpoint, and the one being recorded finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.poller);
    await this.signing?.catch(() => null);
    await this.following.catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.hasher.close();
    await this.saving;
    if (this.started && this.tree.size > this.savedSize) await this.save();
  }

  /**
   * Signs the current tree head and records it, unless nothing but checkpoints was recorded
   * since the last one (then the last one is returned). Calls never overlap.
   */
  checkpoint(): Promise<LedgerCheckpoint | null> {
    this.signing ??= this.sign().finally(() => (this.signing = undefined));
    return this.signing;
  }

  /** Reads what the log gained since the tree's last leaf into the tree. Calls queue up. */
  follow(): Promise<void> {
    this.following = this.following.catch(() => undefined).then(() => this.readNewRecords());
    return this.following;
  }

  private async readNewRecords(): Promise<void> {
    for (;;) {
      const page = await this.hasher.read(this.positions.last, PAGE);
      this.addPage(page);
      if (page.count < PAGE) break;
    }
    if (this.pending >= this.config.LEDGER_CHECKPOINT_EVERY && !this.signing) {
      void this.checkpoint().catch((error) => this.logger.error(`checkpoint failed: ${String(error)}`));
    }
    if (this.tree.size - this.savedSize >= SAVE_EVERY) void this.save();
  }

  private addPage(page: LeafPage): void {
    let next = 0; // the page's next checkpoint record
    for (let i = 0; i < page.count; i++) {
      const index = this.tree.append(page.hashes.subarray(i * 32, i * 32 + 32));
      const position = page.positions[i];
      this.positions.push(position);
      const record = page.checkpoints[next];
      if (record?.globalPosition === position) {
        next++;
        this.addCheckpoint(record, index);
      } else this.pending++;
    }
    if (page.lastEventId) this.lastEventId = page.lastEventId;
  }

  private addCheckpoint(record: StoredRecord, index: number): void {
    this.pending = 0;
    this.takeCheckpoint(record, index);
  }

  /** A LedgerCheckpointed event (leaf `index`), checked against the tree as it stood when it was recorded. */
  private takeCheckpoint(record: StoredRecord, index: number): void {
    let payload: { treeSize: number; rootHash: string; note: string };
    try {
      payload = JSON.parse(record.payload);
    } catch {
      this.problemList.push(`position ${record.globalPosition}: a LedgerCheckpointed event whose payload is not JSON`);
      return;
    }
    const checkpoint: LedgerCheckpoint = { treeSize: payload.treeSize, rootHash: payload.rootHash, note: payload.note, position: record.globalPosition, eventId: record.eventId, recordedAt: record.recordedAt };
    this.checkpointList.push(checkpoint);
    this.check(checkpoint, index);
  }

  /** A recorded checkpoint must be signed by our key and name the root the tree has at its size. */
  private check(checkpoint: LedgerCheckpoint, index: number): void {
    const where = `checkpoint at position ${checkpoint.position} (tree size ${checkpoint.treeSize})`;
    try {
      const verified = verifyCheckpoint(checkpoint.note, this.signer.verifierKey, { origin: this.origin });
      if (verified.size !== checkpoint.treeSize || verified.rootHash.toString('base64') !== checkpoint.rootHash) {
        this.problemList.push(`${where}: its event says size ${checkpoint.treeSize} root ${checkpoint.rootHash}, its signed note size ${verified.size} root ${verified.rootHash.toString('base64')}`);
      } else if (verified.size > index) {
        this.problemList.push(`${where}: covers ${verified.size} events but is recorded as event ${index + 1}`);
      } else if (!this.tree.rootAt(verified.size).equals(verified.rootHash)) {
        this.problemList.push(`${where}: the log's first ${verified.size} events no longer hash to the signed root — the history before it was rewritten`);
      }
    } catch (error) {
      this.problemList.push(`${where}: ${(error as Error).message}`);
    }
  }

  private async sign(): Promise<LedgerCheckpoint | null> {
    await this.follow();
    const last = this.checkpointList[this.checkpointList.length - 1] ?? null;
    if (this.pending === 0) return last;
    const size = this.tree.size;
    const rootHash = this.tree.root();
    const note = this.signer.signCheckpoint({ origin: this.origin, size, rootHash });
    const event: NewEvent = {
      // one id per (origin, size): two signers of the same head record it once
      eventId: deterministicId('ledger-checkpoint', this.origin, String(size)),
      type: LedgerCheckpointed.type,
      schemaVersion: LedgerCheckpointed.version,
      occurredAt: this.clock.now().toISOString(),
      actor: this.actor,
      correlationId: LEDGER_CORRELATION,
      causationId: this.lastEventId,
      payload: LedgerCheckpointed.payload.parse({
        origin: this.origin,
        treeSize: size,
        rootHash: rootHash.toString('base64'),
        note,
        keyId: this.signer.keyId.toString(16).padStart(8, '0'),
        lastEventId: this.lastEventId,
      }),
    };
    await this.store.append(LEDGER_STREAM, [event], 'any');
    await this.follow();
    return this.checkpointList.find((c) => c.eventId === event.eventId) ?? null;
  }

  /**
   * A saved tree is derived data: it is used only when its last leaf is still the event the
   * store holds at that place (and the store numbers its log 1, 2, 3…); the checkpoints in the
   * log are checked against it like against a rebuilt tree.
   */
  private async loadSavedTree(): Promise<void> {
    const file = this.treeFile();
    if (!existsSync(file)) return;
    try {
      const tree = await loadTree(file);
      if (tree.size === 0) return;
      const [last] = await this.store.readRecords!({ after: tree.size - 1, limit: 1 });
      if (!last || last.globalPosition !== tree.size || !leafHashOfRecord(last).equals(tree.leafHash(tree.size - 1))) {
        this.logger.warn(`saved tree ${file} does not match the store: rebuilding from the log`);
        return;
      }
      this.tree = tree;
      this.positions = LeafPositions.dense(tree.size);
      this.savedSize = tree.size;
      this.lastEventId = last.eventId;
      await this.reloadCheckpoints();
    } catch (error) {
      this.logger.warn(`saved tree ${file} unreadable (${(error as Error).message}): rebuilding from the log`);
      this.tree = new MerkleTree();
      this.positions = new LeafPositions();
    }
  }

  /** The checkpoints among the leaves a saved tree already holds. */
  private async reloadCheckpoints(): Promise<void> {
    let after = 0;
    const upTo = this.positions.last;
    for (;;) {
      const records = await this.store.readRecords!({ after, upTo, types: [LedgerCheckpointed.type], limit: PAGE });
      for (const record of records) this.takeCheckpoint(record, this.positions.indexOf(record.globalPosition)!);
      if (records.length < PAGE) break;
      after = records[records.length - 1].globalPosition;
    }
    const last = this.checkpointList[this.checkpointList.length - 1];
    this.pending = last ? this.tree.size - 1 - this.positions.indexOf(last.position)! : this.tree.size;
  }

  /** One save at a time: a million leaves take a while to write, and the poll comes every 250 ms. */
  private save(): Promise<void> {
    this.saving ??= saveTree(this.tree, this.treeFile())
      .then((size) => void (this.savedSize = size))
      .catch((error) => this.logger.warn(`could not save the tree: ${(error as Error).message}`))
      .finally(() => (this.saving = undefined));
    return this.saving;
  }

  private treeFile(): string {
    return path.join(this.config.DATA_DIR, 'ledger-tree.bin');
  }

  /** Checkpoints are recorded in the name of the joint-conference office with the widest jurisdiction. */
  private ledgerActor(): Actor {
    const offices = this.directory.agencies.filter((a) => a.kind === 'JOINT_CONFERENCE_OFFICE');
    const level = (code: string) => code.length - code.replace(/0+$/, '').length;
    const office = offices.sort((a, b) => level(b.jurisdiction) - level(a.jurisdiction))[0];
    if (!office) throw new Error('the ledger records its checkpoints as a joint-conference office, and AGENCIES_FILE names none');
    return systemActor({ agencyId: office.id, agencyKind: office.kind, jurisdiction: office.jurisdiction }, 'audit');
  }
}
