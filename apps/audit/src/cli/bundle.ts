import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { LedgerCheckpoint, LedgerRecord } from '@atr/contracts';

/**
 * An exported ledger, one JSON object a line (NDJSON), so it streams both ways:
 *   {"kind":"header","format":"atr-ledger-bundle/1",…}
 *   {"kind":"entry","leafIndex":0,"leafHash":"…","record":{…}|null}   (every leaf, in order)
 *   {"kind":"checkpoint",…}                                            (every signed checkpoint)
 * A record is the event as stored (actor and payload as their stored JSON texts), so anyone can
 * recompute its leaf: SHA-256(0x00 ‖ UTF-8 of the RFC 8785 canonical JSON of the record).
 */
export const BUNDLE_FORMAT = 'atr-ledger-bundle/1';

export interface BundleHeader {
  kind: 'header';
  format: typeof BUNDLE_FORMAT;
  origin?: string;
  verifierKey?: string;
  treeSize: number;
  exportedAt: string;
  exportedFrom: string;
}

export interface BundleEntry {
  kind: 'entry';
  leafIndex: number;
  leafHash: string;
  record: LedgerRecord | null;
}

export type BundleCheckpoint = { kind: 'checkpoint' } & LedgerCheckpoint;
export type BundleLine = BundleHeader | BundleEntry | BundleCheckpoint;

export class BundleWriter {
  private readonly out;

  constructor(path: string) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
  }

  async write(line: BundleLine): Promise<void> {
    if (!this.out.write(`${JSON.stringify(line)}\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** The lines of a bundle in order; a line that is not JSON fails with its line number. */
export async function* readBundle(path: string): AsyncGenerator<BundleLine> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    let line: BundleLine;
    try {
      line = JSON.parse(text);
    } catch {
      throw new Error(`${path}:${number}: not a JSON line`);
    }
    if (number === 1 && (line.kind !== 'header' || line.format !== BUNDLE_FORMAT)) throw new Error(`${path}: not a ledger bundle (${BUNDLE_FORMAT})`);
    yield line;
  }
}
