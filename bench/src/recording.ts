// The recording path: agent-side cost of one llm.record (against a pino line and prom-client
// histograms written by hand), invocation rows/s through the SQLite sink (against a plain
// better-sqlite3 INSERT), audit appends/s and the time to verify a long chain, and the memory
// of 10k active sessions. Prints markdown tables. See bench/README.md.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_MAX_BATCH } from '@vigil/sdk/recording';
import { CaseProcess } from './harness/case-process.js';
import { type CaseResult, median, pairedRatio, runRounds } from './harness/rounds.js';
import { auditCases, verifyChain } from './recording/audit-cases.js';
import { RECORD_CASES } from './recording/record-cases.js';
import { sqliteCases } from './recording/sqlite-cases.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 7);
const TARGET_MS = positiveInt(process.env.BENCH_TARGET_MS, 300);
const IO_ROUNDS = positiveInt(process.env.BENCH_IO_ROUNDS, 5);
const IO_TARGET_MS = positiveInt(process.env.BENCH_IO_TARGET_MS, 300);
const VERIFY_ROWS = positiveInt(process.env.BENCH_VERIFY_ROWS, 1_000_000);
const SESSIONS = 10_000;

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');
const micros = (opsPerSecond: number) => (1e6 / opsPerSecond).toFixed(2);
const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const spread = (r: CaseResult) => `${rate(Math.min(...r.rates))} – ${rate(Math.max(...r.rates))}`;
const byId = (results: CaseResult[], id: string) => results.find((r) => r.id === id)!;

async function recordCost(): Promise<void> {
  const script = new URL('./recording/case-main.js', import.meta.url);
  const processes = RECORD_CASES.map((c) => new CaseProcess(script, c.id));
  try {
    const results = await runRounds(processes, { rounds: ROUNDS, targetMs: TARGET_MS });
    const peerOf: Record<string, string> = { vigil: 'hand-metrics', 'vigil-line': 'hand-line' };
    console.log('### Agent-side cost of one `llm.record`\n');
    console.log(
      'No-op invocation sink, no tracer, default prices; log lines go to a sink that counts and discards them.\n',
    );
    console.log('| Case | µs/call | calls/s | min – max | time vs by hand |');
    console.log('|---|--:|--:|--:|--:|');
    for (const c of RECORD_CASES) {
      const r = byId(results, c.id);
      const peer = peerOf[c.id];
      const vs = peer === undefined ? '' : `${(1 / pairedRatio(r, byId(results, peer))).toFixed(1)}×`;
      console.log(`| ${c.label} | ${micros(median(r.rates))} | ${rate(median(r.rates))} | ${spread(r)} | ${vs} |`);
    }
    const us = (id: string) => 1e6 / median(byId(results, id).rates);
    const verdict = (id: string) => `${us(id).toFixed(2)} µs (${us(id) <= 2 ? 'met' : 'not met'})`;
    console.log(
      `\nGoal ≤ 2 µs per \`llm.record\`: ${verdict('vigil')} with the defaults, ${verdict('vigil-line')} with each call's log line written.\n`,
    );
  } finally {
    for (const p of processes) p.close();
  }
}

async function sqliteRows(dir: string): Promise<void> {
  const cases = await sqliteCases(dir);
  let results: CaseResult[];
  try {
    results = await runRounds(cases.runners, { rounds: IO_ROUNDS, targetMs: IO_TARGET_MS });
    const lost = await cases.lost();
    if (lost.length > 0) throw new Error(`rows were lost by ${lost.join(', ')}: figures void`);
  } finally {
    await cases.close();
  }
  const labels: Record<string, string> = {
    [`vigil-${SQLITE_MAX_BATCH}`]: `Vigil SQLite sink → \`@vigil/store\`, its default \`maxBatch\` ${rate(SQLITE_MAX_BATCH)}`,
    [`plain-${SQLITE_MAX_BATCH}`]: `plain better-sqlite3 prepared INSERT, ${rate(SQLITE_MAX_BATCH)} rows per transaction`,
    'vigil-10000': 'Vigil store sink, `maxBatch` 10,000',
    'plain-10000': 'plain better-sqlite3 prepared INSERT, 10,000 rows per transaction',
    'vigil-10000-normal': "Vigil store sink, `maxBatch` 10,000, `synchronous: 'NORMAL'` (no fsync per commit)",
    'plain-10000-normal': 'plain better-sqlite3 INSERT, 10,000 per transaction, `synchronous=NORMAL`',
  };
  console.log('### Invocation rows/s into a SQLite file\n');
  console.log(
    "WAL, `synchronous=FULL` (the store's default: one fsync per commit) unless the case says NORMAL; the store's schema and indexes for both; every row a fresh id (a UUIDv7, as `llm.record` makes them); time until the rows are committed.\n",
  );
  console.log('| Case | rows/s | min – max | vs plain INSERT, same batch |');
  console.log('|---|--:|--:|--:|');
  for (const r of results) {
    const vs = r.id.startsWith('vigil') ? percent(pairedRatio(r, byId(results, r.id.replace('vigil', 'plain')))) : '';
    console.log(`| ${labels[r.id]} | ${rate(median(r.rates))} | ${spread(r)} | ${vs} |`);
  }
  const best = median(byId(results, 'vigil-10000').rates);
  const dflt = median(byId(results, `vigil-${SQLITE_MAX_BATCH}`).rates);
  const normal = median(byId(results, 'vigil-10000-normal').rates);
  const met = (value: number) => `${rate(value)} (${value >= 100_000 ? 'met' : 'not met'})`;
  console.log(
    `\nGoal ≥ 100k rows/s with durable commits: ${met(dflt)} with the default batch, ${met(best)} with 10,000-row batches; ` +
      `${met(normal)} with \`synchronous: 'NORMAL'\`.\n`,
  );
}

async function auditRates(dir: string): Promise<void> {
  const cases = await auditCases(dir);
  let results: CaseResult[];
  try {
    results = await runRounds(cases.runners, { rounds: IO_ROUNDS, targetMs: IO_TARGET_MS });
  } finally {
    await cases.close();
  }
  const labels: Record<string, string> = {
    'audit-single': '`store.audit.append(event)`, awaited one at a time (a transaction and fsync each)',
    'audit-batch': '`store.audit.appendBatch(500 events)`',
    'audit-sdk': 'SDK `audit.append(event)` → AuditLog queue → store, then `flush()` (batches of 500)',
  };
  console.log('### Audit appends/s into a SQLite file (chained, SHA-256 per event)\n');
  console.log('| Case | events/s | min – max |');
  console.log('|---|--:|--:|');
  for (const r of results) console.log(`| ${labels[r.id]} | ${rate(median(r.rates))} | ${spread(r)} |`);
  console.log('');
}

async function verifyTime(dir: string): Promise<void> {
  const result = await verifyChain(dir, VERIFY_ROWS);
  console.log(`### Verifying an audit chain of ${rate(result.rows)} events\n`);
  console.log('| Step | time | events/s |');
  console.log('|---|--:|--:|');
  const line = (step: string, ms: number) =>
    `| ${step} | ${(ms / 1000).toFixed(2)} s | ${rate((result.rows / ms) * 1000)} |`;
  console.log(line('generate: `appendBatch` of 10,000 (`synchronous=NORMAL`)', result.generateMs));
  console.log(line('`verify()` (read-only connection, pages of 5000)', result.verifyMs));
  console.log(`\nThe chain verified: ${result.ok ? 'yes' : 'NO'}.\n`);
  if (!result.ok) throw new Error('the generated chain does not verify');
}

async function sessionsMemory(): Promise<void> {
  const child = fork(new URL('./recording/sessions-memory-main.js', import.meta.url), [String(SESSIONS)], {
    execArgv: ['--expose-gc'],
  });
  const [reply] = (await once(child, 'message')) as [
    { sessions: number; active: number; heapBytes: number; rssBytes: number },
  ];
  await once(child, 'exit');
  if (reply.active !== reply.sessions) throw new Error(`${reply.active} of ${reply.sessions} sessions active`);
  console.log(`### Memory of ${rate(reply.sessions)} active sessions in a SessionRegistry\n`);
  console.log(
    'Each session started with its identity, one LLM call, two tool calls (one failed, with its error) and a completed turn; heap after gc, in a fresh process.\n',
  );
  console.log('| Measure | total | per session |');
  console.log('|---|--:|--:|');
  console.log(`| heap used | ${mib(reply.heapBytes)} MiB | ${rate(reply.heapBytes / reply.sessions)} B |`);
  console.log(`| RSS | ${mib(reply.rssBytes)} MiB | ${rate(reply.rssBytes / reply.sessions)} B |`);
  console.log('');
}

const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-recording-'));
const started = performance.now();
try {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('## recording\n');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpu}), files in ${tmpdir()}. ` +
      `llm.record: each case in its own process, ${ROUNDS} interleaved rounds after a warm-up, ~${TARGET_MS} ms per case per round. ` +
      `SQLite: ${IO_ROUNDS} interleaved rounds, ~${IO_TARGET_MS} ms per case per round. Rates are medians over rounds; ratios medians of same-round ratios.\n`,
  );
  await sessionsMemory();
  await recordCost();
  await sqliteRows(dir);
  await auditRates(dir);
  await verifyTime(dir);
  console.log(`(whole benchmark: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
