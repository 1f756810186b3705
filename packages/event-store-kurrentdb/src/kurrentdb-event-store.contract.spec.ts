import { describeEventStoreContract } from '@atr/event-store/testing/event-store-contract';
import { newEvent } from '@atr/event-store/testing/fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { freshNamespace, serverHarness } from './testing/harness';

/**
 * The shared contract suite against a real KurrentDB / EventStoreDB server, whenever
 * KURRENTDB_URL names one (e.g. kurrentdb://admin:changeit@localhost:2113?tls=false, with
 * projections on: see infra/docker-compose.yml). No server can be installed on our build
 * machines, so there it is not run, and says so loudly.
 */
const url = process.env.KURRENTDB_URL;
const describeWithServer = url ? describe : describe.skip;

if (!url) {
  // Straight to stderr: jest drops the console output of a file whose tests were all skipped.
  process.stderr.write(
    [
      '',
      '!!! KurrentDB contract suite NOT RUN: KURRENTDB_URL is not set, so no server was tested. !!!',
      '!!! Run it with: KURRENTDB_URL=kurrentdb://admin:changeit@localhost:2113?tls=false npm test  !!!',
      '',
      '',
    ].join('\n'),
  );
} else {
  jest.setTimeout(120_000); // a server over the network: claims and reads are round trips
}

describeWithServer(`KurrentDB server at ${url?.replace(/\/\/[^@]*@/, '//***@')}`, () => {
  describeEventStoreContract('KurrentDB adapter', serverHarness(url!));

  describe('checkpoints kept in KurrentDB', () => {
    it('loads what was saved last, 0 before', async () => {
      const store = KurrentDbEventStore.connect({ connectionString: url!, namespace: freshNamespace() });
      try {
        expect(await store.load('bus-police')).toBe(0);
        await store.save('bus-police', 42);
        await store.save('bus-police', 4242);
        expect(await store.load('bus-police')).toBe(4242);
        // a checkpoint stream is not an event of the log
        expect(await store.headPosition()).toBe(0);
        await store.append('clue-1', [newEvent()], 'no_stream');
        expect(await store.readAll()).toHaveLength(1);
      } finally {
        await store.close();
      }
    });
  });
});
