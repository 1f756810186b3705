'use strict';
// The same tables twice: aligned text for the terminal, Markdown for bench-results/latest.md.

const int = (x) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en-US'));
const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);
const ms = (x) => (x === null || x === undefined ? '–' : `${x < 10 ? Number(x.toPrecision(3)) : Math.round(x)} ms`);
const sec = (x) => (x === null || x === undefined ? '–' : `${x.toFixed(1)} s`);
const mb = (x) => (x === null || x === undefined ? '–' : `${Math.round(x)} MB`);

/** Sections of { title, head, rows, notes } built from the results. */
function sections(results) {
  const out = [];
  const { append, replay, http, kafka, ledger, targets } = results;
  if (append) {
    const { raw, store } = append;
    const range = (r) => r.sliceRange.map(int).join(' – ');
    const ratios = (r) => r.ratioRange.map(pct).join(' – ');
    out.push({
      title: `1. Appends (durable: WAL + synchronous=FULL; ${append.settings.rounds} rounds of ${append.settings.sliceMs} ms slices, raw and store interleaved)`,
      head: ['case', 'events/s', '% of raw limit', 'per-slice events/s', 'per-round % of raw'],
      rows: [
        ['raw better-sqlite3: 1 row per transaction', int(raw.single.eventsPerSec), 'limit', range(raw.single), ''],
        ['raw better-sqlite3: 100 rows per transaction', int(raw.batch100.eventsPerSec), 'limit', range(raw.batch100), ''],
        ['SqliteEventStore: 1 event per append, awaited one at a time', int(store.single.eventsPerSec), pct(store.single.ofRaw), range(store.single), ratios(store.single)],
        ['SqliteEventStore: 1 event per append, 64 in flight', int(store.single64.eventsPerSec), pct(store.single64.ofRaw), range(store.single64), ratios(store.single64)],
        ['SqliteEventStore: 100 events per append', int(store.batch100.eventsPerSec), pct(store.batch100.ofRaw), range(store.batch100), ratios(store.batch100)],
      ],
      notes: [
        'single-event appends are compared with 1-row commits, 100-event appends with 100-row commits',
        '% of raw is the median of the per-round ratios (raw and store measured back to back in every round)',
      ],
    });
  }
  if (replay) {
    const { fill, scan, decode, project } = replay;
    const rows = [
      ['bare scan: SELECT * ORDER BY position, .iterate() + JSON.parse', int(scan.eventsPerSec), 'floor', sec(scan.seconds), mb(scan.maxRssMB)],
      [`readAllInBatches(${decode.batchSize}) + readAnyEvent (upcast + zod)`, int(decode.eventsPerSec), pct(decode.ofScan), sec(decode.seconds), mb(decode.maxRssMB)],
      ['ReadModels.verifyReplay(): every service projection', int(project.eventsPerSec), pct(project.ofScan), sec(project.seconds), mb(project.maxRssMB)],
    ];
    const rounds = (p) => p.ofScanRounds.map((r, i) => `${int(p.runs[i])} / ${int(p.scanRuns[i])} = ${pct(r)}`).join('; ');
    if (http?.verifyReplay && !http.verifyReplay.error) {
      const v = http.verifyReplay;
      rows.push([`verifyReplay() on the services' own store (${int(v.events)} events, ${v.equal ? 'equal' : 'NOT equal'})`, int(v.eventsPerSec), pct(v.eventsPerSec / scan.eventsPerSec), sec(v.seconds), mb(v.maxRssMB)]);
    }
    out.push({
      title: `2. Replay of ${int(fill.events)} events (${Math.round(fill.fileMB)} MB file, 12 event types, every 10th ClueSubmitted stored as v1)`,
      head: ['path', 'events/s', '% of bare scan', 'time', 'peak RSS'],
      rows,
      notes: [
        `best of 2 passes after a warm-up (verifyReplay: of 3); peak RSS is the whole process (Node + modules ≈ ${mb(scan.baselineRssMB)} for the scan, ${mb(project.baselineRssMB)} with the platform loaded)`,
        'the verifyReplay rows include its comparison with the live tables (on the synthetic log they are empty, so only the replay counts)',
        `verifyReplay's % of bare scan is the median of ${project.ofScanRounds.length} rounds, each a bare scan then a replay in the same process (replay / scan events/s: ${rounds(project)}); the other rows compare with the scan above`,
      ],
    });
  }
  if (http) {
    const commits = (c) => (c ? `${int(c.commits)}, ${ms(c.meanMs)}, ${int(c.over20ms)} / ${int(c.over50ms)}${c.maxMs ? `, ${ms(c.maxMs)}` : ''}` : '–');
    const runRow = (name, r, drain) => [name, int(r.requestsPerSec), ms(r.latencyMs.p50), ms(r.latencyMs.p97_5), ms(r.latencyMs.p99), ms(r.latencyMs.max), int(r.non2xx + r.errors), commits(r.commits), drain ? int(drain.backlogEvents) : '–', drain ? `${sec(drain.drainSeconds)}${drain.drained ? '' : ' (not drained)'}` : '–'];
    const d = http.durability;
    out.push({
      title: `3. Clue submissions over HTTP (${http.settings.endpoint}, apps/runner in a child process; fixed rate open loop, full load autocannon)`,
      head: ['run', '2xx/s', 'p50', 'p97.5', 'p99', 'max', 'non-2xx+err', 'commits: n, mean, >20/>50 ms, slowest', 'backlog after (events)', 'consumers drained in'],
      rows: [
        [`warm-up ${http.warmup.seconds.toFixed(0)} s at ${http.warmup.overallRate}/s, ${http.warmup.connections} connections (from cold)`, ...runRow('', http.warmup).slice(1)],
        ...http.fixedRateRounds.map((r, i) =>
          runRow(`fixed rate ${r.overallRate}/s for ${r.seconds.toFixed(0)} s, 32 connections, round ${i + 1}${r.median ? ' (median p99)' : ''}`, r, r.drained),
        ),
        runRow(`full load ${http.throughput.seconds.toFixed(0)} s, 32 connections`, http.throughput, http.consumers.afterThroughput),
      ],
      notes: [
        'fixed rate: open loop (request i due at i / rate whatever came before), latency from when each request was due, so waiting for a free connection counts; full load: autocannon, each connection sends when its last answer came',
        'commits: the durable commits (BEGIN to COMMIT, fsync included) that carried the run\'s submissions, from the server\'s /ready: how many, their mean, how many took over 20 and 50 ms, and the slowest when it set a new maximum; every answer waits for one, so slow answers that come with slow commits waited for the disk',
        `the load generator shares the 2 cores: it sent requests late by p50 ${ms(http.fixedRate.sendLagMs.p50)}, p99 ${ms(http.fixedRate.sendLagMs.p99)}, max ${ms(http.fixedRate.sendLagMs.max)} in the median round (counted in the latencies above)`,
        `durability: ${int(d.accepted2xx)} answered 2xx, ${d.missingAfterExit} of them missing from the store; ${int(d.clueSubmittedAfterExit)} ClueSubmitted stored (the difference were requests in flight when a run stopped)`,
        `end to end: ${int(http.consumers.endToEndCluesPerSec)} clues/s reached the police inbox (ReferralReceived) from the start of the full-load run until its backlog was drained`,
        `server: ready in ${sec(http.startupSeconds)}, peak RSS ${mb(http.serverPeakRssMB)}, SIGTERM → exit ${http.shutdown.code} in ${sec(http.shutdown.seconds)}`,
      ],
    });
  }
  if (kafka) {
    const { raw, relay, latency: l, settings: s } = kafka;
    out.push({
      title: `4. Kafka (${s.broker}; ${int(s.events)} ClueReferred records, batches of ${s.batchSize}, ${s.partitions} partitions, idempotent producer, acks = all)`,
      head: ['case', 'events/s', '% of raw limit', 'runs'],
      rows: [
        ['raw kafkajs produce (records from memory)', int(raw.eventsPerSec), 'limit', raw.runs.map(int).join(', ')],
        ['relay: store subscription → Kafka → checkpoint', int(relay.eventsPerSec), pct(relay.ofRaw), relay.runs.map(int).join(', ')],
      ],
      notes: [
        `hand-off latency intake → police, ReferralReceived.recordedAt − ClueReferred.recordedAt: ` +
          `p50 ${ms(l.latencyMs.p50)}, p90 ${ms(l.latencyMs.p90)}, p99 ${ms(l.latencyMs.p99)}, max ${ms(l.latencyMs.max)} over ${int(l.measured)} clues ` +
          `(ClueReferred appended at ${int(l.achievedPerSec)}/s for ${l.seconds} s with intake's relay in the writing process, police its own process with BUS=kafka; ` +
          `${int(l.received)} of ${int(l.referred)} received; the first ${s.warmupSeconds} s not counted)`,
        'best of the runs; raw and relay alternate, each in its own process',
      ],
    });
  }
  if (ledger) {
    const { fill, hashscan, verify, verifyOneThread, scan, replay: r, proofs } = ledger;
    out.push({
      title: `5. Ledger over ${int(fill.events)} events (${fill.checkpoints} signed checkpoints, ${mb(fill.fileMB)} file)`,
      head: ['path', 'events/s', '% of its limit', 'time', 'peak RSS'],
      rows: [
        ['limit: bare scan, SHA-256 of every stored row', int(hashscan.eventsPerSec), 'limit', sec(hashscan.seconds), mb(hashscan.maxRssMB)],
        [`audit verify --db, ${verify.workers} threads (every leaf, signature, root, consistency)`, int(verify.eventsPerSec), pct(verify.ofLimit), sec(verify.seconds), mb(verify.maxRssMB)],
        ['audit verify --db, 1 thread', int(verifyOneThread.eventsPerSec), pct(verifyOneThread.ofLimit), sec(verifyOneThread.seconds), mb(verifyOneThread.maxRssMB)],
        ['limit: bare scan + JSON.parse', int(scan.eventsPerSec), 'limit', sec(scan.seconds), mb(scan.maxRssMB)],
        ['ReadModels.verifyReplay, every service projection (% of the scan beside it, median round)', int(r.eventsPerSec), pct(r.ofScan), sec(r.seconds), mb(r.maxRssMB)],
      ],
      notes: [
        `inclusion proofs at ${int(proofs.treeSize)} leaves: ${proofs.inclusion.microsEach.toFixed(1)} µs each to generate (${int(proofs.inclusion.generatedPerSec)}/s), ${int(proofs.inclusion.verifiedPerSec)}/s verified, ${proofs.inclusion.proofLength} hashes; against random past sizes ${proofs.pastSizes.microsEach.toFixed(1)} µs; the tree holds ${mb(proofs.treeMB)}`,
        'peak RSS is the whole process, worker threads included; the fill signs a checkpoint every 10,000 events with the demo key, as the audit service does',
      ],
    });
  }
  if (targets?.length) {
    const value = (t) => (t.unit === '%' ? pct(t.value) : t.unit === '/s' ? `${int(t.value)}/s` : t.unit === 'ms' ? ms(t.value) : `${typeof t.value === 'number' ? int(t.value) : t.value}${t.unit && t.unit !== '' ? ` ${t.unit}` : ''}`);
    out.push({
      title: 'Targets',
      head: ['measure', 'value', 'target', 'verdict', 'note'],
      rows: targets.map((t) => [t.name, value(t), t.target, t.verdict, t.note ?? '']),
      notes: ['MISS: a performance target is not met; FAIL: a correctness check failed; INFO: reported, no target. The bench exits 0 either way.'],
    });
  }
  return out;
}

function header(env) {
  return `${env.date} · node ${env.node} · ${env.cpus} CPUs (${env.cpuModel}) · ${env.memoryGB} GB · ${env.platform} · commit ${env.commit ?? '?'}${env.dirty ? ' (uncommitted changes)' : ''} · load avg ${env.loadAverageAtStart.join(' ')} → ${env.loadAverageAtEnd?.join(' ')} · bench ${Math.round(env.benchSeconds)} s`;
}

function renderTable(results) {
  let text = `\n${header(results.env)}\n`;
  for (const s of sections(results)) {
    const widths = s.head.map((h, i) => Math.max(h.length, ...s.rows.map((r) => String(r[i]).length)));
    const line = (cells) => cells.map((c, i) => (i === 0 || i === cells.length - 1 && s.title === 'Targets' ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd();
    text += `\n${s.title}\n${line(s.head)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}\n`;
    for (const r of s.rows) text += `${line(r)}\n`;
    for (const n of s.notes ?? []) text += `  · ${n}\n`;
  }
  return `${text}\n`;
}

function renderMarkdown(results) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  let md = `# Benchmark results\n\n${header(results.env)}\n\nProduced by \`npm run bench\` (infra/bench/run.js); the raw numbers are in latest.json.\n`;
  for (const s of sections(results)) {
    md += `\n## ${s.title}\n\n| ${s.head.map(esc).join(' | ')} |\n|${s.head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|\n`;
    for (const r of s.rows) md += `| ${r.map((c) => esc(c === 'PASS' ? '**PASS**' : c === 'MISS' || c === 'FAIL' ? `**${c}**` : c)).join(' | ')} |\n`;
    if (s.notes?.length) md += `\n${s.notes.map((n) => `- ${n}`).join('\n')}\n`;
  }
  return md;
}

module.exports = { renderTable, renderMarkdown };
