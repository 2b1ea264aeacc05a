// Ingest: spans/s and log lines/s received over HTTP by the service's ingest routes (OTLP
// protobuf, gzip and JSON; NDJSON lines) and committed to SQLite before each answer; then
// full-text search latency over a large log table. Prints markdown tables. See bench/README.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaseResult, median, runRounds } from './harness/rounds.js';
import { ServerProcess } from './http/server-process.js';
import { type BodyKind, makeBody } from './ingest/bodies.js';
import { generate, timeQueries } from './ingest/fts.js';
import { sendAll } from './ingest/load.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 5);
const TARGET_MS = positiveInt(process.env.BENCH_IO_TARGET_MS, 1500);
const BATCH = positiveInt(process.env.BENCH_INGEST_BATCH, 512);
const CONCURRENCY = positiveInt(process.env.BENCH_INGEST_CONCURRENCY, 4);
const FTS_LINES = positiveInt(process.env.BENCH_FTS_LINES, 1_000_000);
const FTS_RUNS = positiveInt(process.env.BENCH_FTS_RUNS, 21);

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');
const spread = (r: CaseResult) => `${rate(Math.min(...r.rates))} – ${rate(Math.max(...r.rates))}`;

const LABELS: Record<BodyKind, string> = {
  'traces-protobuf': 'spans, OTLP/HTTP protobuf',
  'traces-protobuf-gzip': 'spans, OTLP/HTTP protobuf, gzip',
  'traces-json': 'spans, OTLP/HTTP JSON',
  'logs-protobuf': 'log records, OTLP/HTTP protobuf',
  'logs-ndjson': 'log lines, NDJSON (`/api/vigil/ingest/logs`, the SDK pino format)',
};

async function ingestRates(dir: string): Promise<void> {
  const server = await ServerProcess.start(new URL('./ingest/server-main.js', import.meta.url).pathname, [dir]);
  const base = `http://127.0.0.1:${server.port}`;
  const sent = { spans: 0, logs: 0 };
  try {
    const kinds = Object.keys(LABELS) as BodyKind[];
    const runners = kinds.map((kind) => ({
      id: kind,
      async run(n: number) {
        const bodies = Array.from({ length: Math.max(1, Math.round(n / BATCH)) }, () => makeBody(kind, BATCH));
        const ms = await sendAll(base, bodies, CONCURRENCY);
        sent[kind.startsWith('traces') ? 'spans' : 'logs'] += bodies.length * BATCH;
        // The rate counts what was sent: `n` may round to whole batches.
        return (ms * n) / (bodies.length * BATCH);
      },
    }));
    const results = await runRounds(runners, { rounds: ROUNDS, targetMs: TARGET_MS });
    const stats = await server.stats();
    const counts = stats.counts as { spans: number; logs: number };
    if (counts.spans !== sent.spans || counts.logs !== sent.logs) {
      throw new Error(
        `stored ${counts.spans} spans / ${counts.logs} logs, sent ${sent.spans} / ${sent.logs}: figures void`,
      );
    }
    console.log('### Records/s received over HTTP and committed\n');
    console.log(
      `Batches of ${BATCH} records, ${CONCURRENCY} requests in flight, one Fastify server process with the service's ingest routes over a SQLite file ` +
        '(WAL, `synchronous=FULL`: each 2xx is sent after its transaction committed). The client encodes every body before the clock starts. ' +
        `Every record is new (no duplicates); ${rate(counts.spans)} spans and ${rate(counts.logs)} log lines stored in all, every one accounted for.\n`,
    );
    console.log('| Case | records/s | min – max |');
    console.log('|---|--:|--:|');
    for (const kind of kinds) {
      const r = results.find((x) => x.id === kind)!;
      console.log(`| ${LABELS[kind]} | ${rate(median(r.rates))} | ${spread(r)} |`);
    }
    console.log('');
  } finally {
    await server.stop();
  }
}

async function searchLatency(dir: string): Promise<void> {
  const generated = await generate(dir, FTS_LINES);
  console.log(`### Full-text search over ${rate(generated.lines)} log lines\n`);
  console.log(
    `Generated in ${(generated.ms / 1000).toFixed(0)} s (${rate((generated.lines / generated.ms) * 1000)} lines/s through \`store.logs.insertBatch\`, ` +
      `batches of 10,000, \`synchronous=NORMAL\`); the file is ${(generated.bytes / 2 ** 30).toFixed(2)} GiB with its 7 indexes and the FTS5 table. ` +
      `Each query through \`store.logs.query\` (newest first, limit 100), ${FTS_RUNS} runs after one warm-up, page cache warm.\n`,
  );
  console.log('| Query | median | p95 | lines found |');
  console.log('|---|--:|--:|--:|');
  for (const q of await timeQueries(dir, FTS_RUNS)) {
    console.log(`| ${q.label} | ${q.medianMs.toFixed(2)} ms | ${q.p95Ms.toFixed(2)} ms | ${q.found} |`);
  }
  console.log('');
}

const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-ingest-'));
const started = performance.now();
try {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('## ingest\n');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpu}), shared with other work; files in ${tmpdir()}. ` +
      `Ingest: ${ROUNDS} interleaved rounds after a warm-up, ~${TARGET_MS} ms per case per round; rates are medians over rounds.\n`,
  );
  await ingestRates(join(dir, 'ingest'));
  await searchLatency(join(dir, 'fts'));
  console.log(`(whole benchmark: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
