// `audit`: the auditors' command line. Verifies the ledger offline (a store file, an exported
// bundle) or against a live server, proves single events, exports bundles and reads records as
// they were. Exit codes: 0 verified, 1 verification failed, 2 could not run (usage, I/O).
import { Command, Option } from 'commander';
import { exportBundle } from './export';
import { progressBar } from './progress';
import { proveLocally, proveOnServer } from './prove';
import { BundleSource } from './sources/bundle-source';
import { DbSource } from './sources/db-source';
import { ServerSource } from './sources/server-source';
import type { LedgerSource } from './sources/source';
import { readStateAsOf } from './state';
import { verifyLedger, type VerificationReport } from './verify';

interface SourceOptions {
  db?: string;
  bundle?: string;
  server?: string;
  apiKey?: string;
  workers: string;
}

const sourceOptions = (command: Command, kinds: ('db' | 'bundle' | 'server')[]) => {
  if (kinds.includes('db')) command.option('--db <file>', 'the SQLite event store file (read-only), e.g. data/events.db');
  if (kinds.includes('bundle')) command.option('--bundle <file>', 'a bundle written by `audit export`');
  if (kinds.includes('server')) {
    command.option('--server <url>', 'a running platform, e.g. http://localhost:3000');
    command.addOption(new Option('--api-key <key>', 'an auditor’s API key for --server').env('ATR_API_KEY'));
  }
  command.option('--workers <n>', 'threads that hash a store file', '2');
  return command;
};

function openSource(o: SourceOptions, parallel = true): LedgerSource {
  const given = [o.db, o.bundle, o.server].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give exactly one of --db, --bundle or --server');
  if (o.db) return new DbSource(o.db, { workers: parallel ? Number(o.workers) : 1 });
  if (o.bundle) return new BundleSource(o.bundle);
  if (!o.apiKey) throw new UsageError('--server needs --api-key (or ATR_API_KEY)');
  return new ServerSource(o.server!, o.apiKey);
}

class UsageError extends Error {}

function printReport(r: VerificationReport): void {
  const out = process.stdout;
  out.write(`${r.ok ? 'VERIFIED' : 'FAILED'}: ${r.source}\n`);
  out.write(`  ${r.leaves} events, root ${r.rootHash}\n`);
  out.write(`  ${r.checkpoints.verified} of ${r.checkpoints.total} signed checkpoints match the log; ${r.checkpoints.consistencyProofs} consistency proofs between them verified\n`);
  out.write(`  key ${r.verifierKey ?? '(none)'} (${r.keyTrust}${r.keyTrust === 'given' ? '' : ': pass --key from the README or GET /audit/ledger/key to trust nothing on this side'})\n`);
  if (r.firstBad) {
    out.write(`  first bad: leaf ${r.firstBad.leafIndex}${r.firstBad.position ? ` (position ${r.firstBad.position})` : ''}${r.firstBad.precise ? '' : ' at the earliest'}: ${r.firstBad.message}\n`);
  }
  for (const p of r.problems) {
    out.write(`  - ${p.kind}: ${p.message}\n`);
    for (const d of p.differences ?? []) out.write(`      ${d.field}: now ${JSON.stringify(d.now)}, exported ${JSON.stringify(d.before)}\n`);
  }
  out.write(`  ${(r.durationMs / 1000).toFixed(1)} s\n`);
}

export function program(): Command {
  const cli = new Command('audit').description('Verify, prove and export the anti-trafficking referral ledger').showHelpAfterError();

  sourceOptions(cli.command('verify'), ['db', 'bundle', 'server'])
    .description('recompute every leaf, check every signed checkpoint and the consistency between them; name the first bad position')
    .option('--key <verifierKey>', 'the verifier key to trust (README, GET /audit/ledger/key)')
    .option('--origin <origin>', 'the log origin the checkpoints must name')
    .option('--against <bundle>', 'an earlier export: compare every event with it to locate a change exactly')
    .option('--json', 'print the report as JSON')
    .action(async (o: SourceOptions & { key?: string; origin?: string; against?: string; json?: boolean }) => {
      const source = openSource(o);
      const against = o.against ? new BundleSource(o.against) : undefined;
      const bar = progressBar('verifying', await source.size());
      try {
        const report = await verifyLedger(source, { verifierKey: o.key, origin: o.origin, against, onProgress: bar.update });
        bar.stop();
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(report);
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        bar.stop();
        await source.close();
      }
    });

  sourceOptions(cli.command('prove <eventId>'), ['db', 'bundle', 'server'])
    .description('an inclusion proof of one event against a signed checkpoint, checked here')
    .option('--tree-size <n>', 'prove against this checkpoint size (default: the latest)')
    .option('--key <verifierKey>', 'the verifier key to trust')
    .option('--origin <origin>', 'the log origin')
    .action(async (eventId: string, o: SourceOptions & { treeSize?: string; key?: string; origin?: string }) => {
      const source = openSource(o, false);
      try {
        const key = o.key ?? (await source.presented()).verifierKey;
        const size = o.treeSize ? Number(o.treeSize) : undefined;
        const result = source instanceof ServerSource ? await proveOnServer(source, eventId, size, key, o.origin) : await proveLocally(source, eventId, size, key, o.origin);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        process.exitCode = result.verified ? 0 : 1;
      } finally {
        await source.close();
      }
    });

  sourceOptions(cli.command('export'), ['db', 'server'])
    .description('write a bundle (NDJSON): every leaf, the stored events you may see, every signed checkpoint')
    .requiredOption('--out <file>', 'where to write the bundle')
    .action(async (o: SourceOptions & { out: string }) => {
      const source = openSource(o, false);
      const bar = progressBar('exporting', await source.size());
      try {
        const written = await exportBundle(source, o.out, bar.update);
        bar.stop();
        process.stdout.write(`exported ${written.leaves} leaves (${written.records} with their event) and ${written.checkpoints} checkpoints to ${o.out}\n`);
      } finally {
        bar.stop();
        await source.close();
      }
    });

  cli
    .command('state <streamId>')
    .description('a record (clue-…, referral-…, case-…, placement-…, assessment-…) as it was at a time or a log position')
    .requiredOption('--server <url>', 'a running platform')
    .addOption(new Option('--api-key <key>', 'an auditor’s API key').env('ATR_API_KEY'))
    .addOption(new Option('--as-of <instant>', 'ISO 8601 instant').conflicts('position'))
    .option('--position <n>', 'global log position')
    .option('--facts', 'audit’s generic view (every fact stated so far) instead of the owning service’s state')
    .action(async (streamId: string, o: { server: string; apiKey?: string; asOf?: string; position?: string; facts?: boolean }) => {
      if (!o.apiKey) throw new UsageError('--api-key (or ATR_API_KEY) is required');
      const state = await readStateAsOf(o.server, o.apiKey, streamId, { asOf: o.asOf, position: o.position, facts: o.facts });
      process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
    });

  return cli;
}

export function main(argv: string[]): void {
  program()
    .parseAsync(argv)
    .catch((error: unknown) => {
      process.stderr.write(`audit: ${(error as Error).message}\n`);
      process.exitCode = 2;
    });
}

if (require.main === module) main(process.argv);
