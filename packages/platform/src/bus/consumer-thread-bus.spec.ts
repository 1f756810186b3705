import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConsumerThreadBus } from './consumer-thread-bus';

// A stand-in consumer thread speaking the protocol: status answers, redrive fails, pause crashes.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.refuse) parentPort.postMessage({ kind: 'failed', error: 'store file locked' });
else parentPort.postMessage({ kind: 'ready' });
parentPort.on('message', (m) => {
  if (m.stop) process.exit(0);
  if (m.method === 'status') parentPort.postMessage({ kind: 'answer', id: m.id, value: [{ group: 'g', lag: 7 }] });
  if (m.method === 'redrive') parentPort.postMessage({ kind: 'answer', id: m.id, error: 'no group ' + m.group });
  if (m.method === 'pause') process.exit(3);
});`;

describe('ConsumerThreadBus', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'atr-consumer-thread-'));
  const file = path.join(dir, 'worker.js');
  writeFileSync(file, WORKER);
  const deadLetters = { load: () => [], save: () => undefined, remove: () => undefined };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const bus = (workerData: object, crashes: Error[] = []) => new ConsumerThreadBus({ entry: { file }, workerData, deadLetters, onCrash: (e) => crashes.push(e) });

  it('asks the thread and relays its answers and errors; a normal stop is no crash', async () => {
    const crashes: Error[] = [];
    const b = bus({}, crashes);
    await b.start();
    expect(await b.status()).toEqual([{ group: 'g', lag: 7 }]);
    await expect(b.redrive('x')).rejects.toThrow('no group x');
    await b.stop();
    await expect(b.status()).rejects.toThrow(/not running/);
    expect(crashes).toEqual([]);
  });

  it('refuses to start when the thread cannot', async () => {
    await expect(bus({ refuse: true }).start()).rejects.toThrow('the consumer thread could not start: store file locked');
  });

  it('reports a thread that ends unasked once, and fails the calls waiting on it', async () => {
    const crashes: Error[] = [];
    const b = bus({}, crashes);
    await b.start();
    await expect(b.pause('g')).rejects.toThrow('the consumer thread exited with code 3');
    expect(crashes.map((e) => e.message)).toEqual(['the consumer thread exited with code 3']);
    await expect(b.status()).rejects.toThrow('exited with code 3');
  });

  it('keeps one registration per group', () => {
    const b = bus({});
    b.consume({ group: 'g', types: [] });
    expect(() => b.consume({ group: 'g', types: [] })).toThrow('consumer group g is registered twice');
  });
});
