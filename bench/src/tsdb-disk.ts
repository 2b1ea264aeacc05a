// Bytes per sample on disk: a fleet of node-exporter-like targets (≥ 10k series) scraped every 15 s for 24 h
// simulated, appended into a file Tsdb; the figure is the SQLite file's size (after close: the WAL is
// checkpointed into it) over the samples stored, so it includes every row, index and page overhead.
// Deterministic (seeded values), so one run per configuration is the figure. Prometheus, the anchor, reports
// ~1.3 B/sample for its compressed blocks on typical workloads; the goal is ≤ 1.5.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_ENCODING_XOR, chunkSamples, encodeChunk, exportOpenMetrics, Tsdb, XorChunk } from '@vigil/tsdb';
import Database from 'better-sqlite3';
import { nodeSeries, seeded, targetLabels } from './tsdb/node-workload.js';

const NODES = Number(process.env.BENCH_TSDB_NODES) || 25;
const PEER_NODES = Number(process.env.BENCH_TSDB_PEER_NODES) || 3;
const HOURS = Number(process.env.BENCH_TSDB_HOURS) || 24;
const STEP_MS = 15_000;
const FLUSH_EVERY_SCRAPES = 40; // a flush per 10 simulated minutes (see docs/benchmarks.md)
const T0 = Date.UTC(2026, 10, 23);
const GOAL = 1.5;

interface Result {
  label: string;
  series: number;
  samples: number;
  fileBytes: number;
  payloadBytes: number;
  xorBytes: number;
  decimalChunks: number;
  chunks: number;
  tables: Map<string, number>;
  seconds: number;
}

function run(
  label: string,
  samplesPerChunk: number,
  jitter: (rand: () => number) => number,
  nodeCount = NODES,
  peer?: (db: Tsdb, dir: string) => Promise<void>,
): Promise<Result> {
  return measure(label, samplesPerChunk, jitter, nodeCount, peer);
}

async function measure(
  label: string,
  samplesPerChunk: number,
  jitter: (rand: () => number) => number,
  nodeCount: number,
  peer: ((db: Tsdb, dir: string) => Promise<void>) | undefined,
): Promise<Result> {
  const NODES = nodeCount;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-disk-'));
  const path = join(dir, 'tsdb.db');
  try {
    const scrapes = (HOURS * 3_600_000) / STEP_MS;
    const db = Tsdb.open({
      path,
      flushIntervalMs: 0,
      retentionIntervalMs: 0,
      samplesPerChunk,
      now: () => T0 + HOURS * 3_600_000,
    });
    const rand = seeded(2026);
    const nodes = Array.from({ length: NODES }, () => nodeSeries(rand));
    const refs = nodes.map((series, node) => series.map((s) => db.series(targetLabels(node, s))));
    const started = performance.now();
    let samples = 0;
    const prev = new Float64Array(NODES).fill(T0);
    for (let s = 0; s < scrapes; s++) {
      for (let node = 0; node < NODES; node++) {
        const t = s === 0 ? T0 : T0 + s * STEP_MS + jitter(rand);
        const step = t - prev[node]!;
        prev[node] = t;
        const series = nodes[node]!;
        const ids = refs[node]!;
        for (let i = 0; i < series.length; i++) {
          if (db.append(ids[i]!, t, series[i]!.next(step)) === 'ok') samples++;
        }
      }
      if (s % FLUSH_EVERY_SCRAPES === FLUSH_EVERY_SCRAPES - 1) db.flush();
    }
    const series = db.stats().series;
    if (peer !== undefined) await peer(db, dir);
    db.close();
    const seconds = (performance.now() - started) / 1000;
    const fileBytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    const sqlite = new Database(path, { readonly: true });
    const [payloadBytes, chunks] = sqlite
      .prepare(
        'SELECT (SELECT sum(length(data)) FROM chunks) + (SELECT sum(length(data)) FROM head), (SELECT count(*) FROM chunks)',
      )
      .raw()
      .get() as [number, number];
    // What the same chunks take as Gorilla XOR only (the encoding of Prometheus's chunks).
    let xorBytes = 0;
    let decimalChunks = 0;
    for (const [data] of sqlite
      .prepare('SELECT data FROM chunks UNION ALL SELECT data FROM head')
      .raw()
      .iterate() as Iterable<[Buffer]>) {
      if (data[0] === CHUNK_ENCODING_XOR) {
        xorBytes += data.length;
        continue;
      }
      decimalChunks++;
      const chunk = new XorChunk({ maxSamples: 1e9, maxBytes: 1e9 });
      const it = chunkSamples(data);
      while (it.next()) chunk.append(it.t, it.v);
      xorBytes += encodeChunk(chunk).length;
    }
    const tables = new Map(
      sqlite.prepare('SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC').raw().all() as [
        string,
        number,
      ][],
    );
    sqlite.close();
    return { label, series, samples, fileBytes, payloadBytes, xorBytes, decimalChunks, chunks, tables, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const whole = (n: number) => Math.round(n).toLocaleString('en-US');
const perSample = (bytes: number, r: Result) => (bytes / r.samples).toFixed(3);

console.log('## tsdb-disk\n');
console.log(
  `${NODES} node-exporter-like targets, ${HOURS} h at ${STEP_MS / 1000} s, flushed every ${FLUSH_EVERY_SCRAPES} scrapes, ` +
    'file size after close() (WAL checkpointed). Deterministic: one run per row.\n',
);
const results = [
  await run('aligned scrapes, 120 samples/chunk', 120, () => 0),
  await run('aligned scrapes, 240 samples/chunk (default)', 240, () => 0),
  await run('aligned scrapes, 480 samples/chunk', 480, () => 0),
  await run('every scrape 0–5 ms late, 240 samples/chunk', 240, (rand) => Math.floor(rand() * 6)),
];
console.log(
  '| Case | series | samples | file bytes | B/sample (file) | B/sample (chunk blobs) | SQLite overhead | blobs if XOR only | chunks (decimal) | s |',
);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const r of results) {
  console.log(
    `| ${r.label} | ${whole(r.series)} | ${whole(r.samples)} | ${whole(r.fileBytes)} | **${perSample(r.fileBytes, r)}** | ` +
      `${perSample(r.payloadBytes, r)} | ${perSample(r.fileBytes - r.payloadBytes, r)} | ${perSample(r.xorBytes, r)} | ` +
      `${whole(r.chunks)} (${Math.round((100 * r.decimalChunks) / r.chunks)}%) | ${r.seconds.toFixed(1)} |`,
  );
}
console.log('\nPages by table and index (default configuration):\n');
console.log('| table or index | bytes | B/sample |');
console.log('|---|--:|--:|');
const main = results[1]!;
for (const [name, bytes] of main.tables) console.log(`| ${name} | ${whole(bytes)} | ${perSample(bytes, main)} |`);
const headline = main.fileBytes / main.samples;
console.log(`\nGoal, ≤ ${GOAL} B/sample on disk: ${headline.toFixed(2)} (${headline <= GOAL ? 'met' : 'not met'}).\n`);

// The peer on the same data: the store's export read by `promtool tsdb create-blocks-from openmetrics`, whose
// 2 h blocks are Prometheus's own TSDB format (XOR chunks of ≤ 120 samples plus an index per block).
let prometheus: { chunks: number; total: number; blocks: number } | undefined;
let reason = '';
const vigil = await run(
  'aligned scrapes, 240 samples/chunk',
  240,
  () => 0,
  PEER_NODES,
  async (db, dir) => {
    const file = join(dir, 'export.om');
    const out = createWriteStream(file);
    for await (const text of exportOpenMetrics(db)) {
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    const blocks = join(dir, 'blocks');
    const made = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, blocks], {
      encoding: 'utf8',
    });
    if (made.error !== undefined || made.status !== 0) {
      reason = made.error?.message ?? made.stderr.trim().split('\n').at(-1) ?? `exit ${made.status}`;
      return;
    }
    const sizes = { chunks: 0, total: 0, blocks: 0 };
    for (const entry of readdirSync(blocks, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const size = statSync(join(entry.parentPath, entry.name)).size;
      sizes.total += size;
      if (entry.parentPath.endsWith('chunks')) sizes.chunks += size;
      if (entry.name === 'meta.json') sizes.blocks++;
    }
    prometheus = sizes;
  },
);
console.log(`### Prometheus on the same data (${whole(vigil.series)} series, ${whole(vigil.samples)} samples)\n`);
if (prometheus === undefined) {
  console.log(`Not measured: promtool failed or is missing (${reason}); apt-get install prometheus.\n`);
} else {
  console.log('| Store | bytes | B/sample |');
  console.log('|---|--:|--:|');
  console.log(`| Vigil, SQLite file (default) | ${whole(vigil.fileBytes)} | ${perSample(vigil.fileBytes, vigil)} |`);
  console.log(
    `| Prometheus (promtool ${promtoolVersion()}), ${prometheus.blocks} blocks of 2 h, whole block dirs | ${whole(prometheus.total)} | ${perSample(prometheus.total, vigil)} |`,
  );
  console.log(
    `| Prometheus, chunk files only | ${whole(prometheus.chunks)} | ${perSample(prometheus.chunks, vigil)} |`,
  );
  console.log(
    '\nPrometheus compacts 2 h blocks into larger ones over time, which shrinks the index part, not the chunks (the\n' +
      'samples are not re-encoded); promtool writes the stale-marker-free export, the same samples Vigil holds.\n',
  );
}

function promtoolVersion(): string {
  const v = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(v.stdout ?? '')?.[1] ?? '?';
}
