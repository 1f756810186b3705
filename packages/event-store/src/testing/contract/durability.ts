import type { ChildProcess } from 'node:child_process';
import { ACK_PREFIX, type Acknowledgement } from '../durability-writer';
import type { ContractContext } from '../event-store-contract';
import { newEvent } from '../fixtures';

/** Collects acknowledgements from the child and kills it with SIGKILL once `killAfter` arrived. */
function killMidStream(child: ChildProcess, killAfter: number, timeoutMs: number): Promise<Acknowledgement[]> {
  return new Promise((resolve, reject) => {
    const acks: Acknowledgement[] = [];
    let pending = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop()!; // an incomplete last line was never fully acknowledged
      for (const line of lines) if (line.startsWith(ACK_PREFIX)) acks.push(JSON.parse(line.slice(ACK_PREFIX.length)));
      if (acks.length >= killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && acks.length >= killAfter) resolve(acks);
      else reject(new Error(`writer exited early (code ${code}, signal ${signal}, ${acks.length} acks): ${stderr}`));
    });
  });
}

export function durabilityContract(ctx: ContractContext): void {
  describe('durability', () => {
    const spawn = ctx.harness.spawnKillableWriter;
    (spawn ? it : it.skip)(
      'keeps every acknowledged append of a writer killed with SIGKILL',
      async () => {
        const writer = await spawn!.call(ctx.harness);
        let acks: Acknowledgement[];
        try {
          acks = await killMidStream(writer.child, 300, 20_000);
        } finally {
          if (writer.child.exitCode === null && writer.child.signalCode === null) writer.child.kill('SIGKILL');
        }
        const store = await writer.open();
        try {
          for (const ack of acks) {
            const stream = await store.readStream(ack.streamId, { upToRevision: ack.nextExpectedRevision });
            const written = stream.slice(-ack.eventIds.length);
            expect(written.map((e) => e.eventId)).toEqual(ack.eventIds);
            expect(written[written.length - 1].globalPosition).toBe(ack.lastPosition);
          }
          // The log is usable after the crash.
          const head = await store.headPosition();
          expect(head).toBeGreaterThanOrEqual(Math.max(...acks.map((a) => a.lastPosition)));
          const next = await store.append('after-crash', [newEvent()], 'no_stream');
          expect(next.lastPosition).toBeGreaterThan(head);
        } finally {
          await store.close();
        }
      },
      30_000,
    );
  });
}
