// Memory per active series of a file Tsdb: the series index, the open head chunk and everything else the
// store keeps per series, as RSS growth over a baseline in a fresh `node --expose-gc` child per run. Also the
// time one flush takes when every series' head changed (what the flush timer costs the event loop).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tsdb } from '@vigil/tsdb';
import { median } from './harness/rounds.js';
import { seeded } from './tsdb/node-workload.js';

const SERIES = Number(process.env.BENCH_TSDB_SERIES) || 100_000;
const RUNS = Number(process.env.BENCH_ROUNDS) || 3;
const GOAL_BYTES = 1024;
const T0 = Date.UTC(2026, 10, 23);

interface Measured {
  rssPerSeries: number;
  heapPerSeries: number;
  externalPerSeries: number;
  flushMs: number;
}

function usage() {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  const m = process.memoryUsage();
  // `external` already includes `arrayBuffers` (every Buffer and chunk buffer).
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

// In the child: `series` series shaped like a fleet (100 metric names × 2 codes per target, 200 series a target), `perSeries`
// samples each at 15 s, flushed as the timer would; the head then holds perSeries mod samplesPerChunk samples.
function child(series: number, perSeries: number, samplesPerChunk: number): Measured {
  const SERIES = series;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-memory-'));
  try {
    const before = usage();
    const db = Tsdb.open({ path: join(dir, 'tsdb.db'), flushIntervalMs: 0, retentionIntervalMs: 0, samplesPerChunk });
    const rand = seeded(7);
    const metrics = Array.from({ length: 100 }, (_, i) => `app_metric_${i}_total`);
    const refs: number[] = [];
    for (let i = 0; i < SERIES; i++) {
      const target = Math.floor(i / 200);
      refs.push(
        db.series({
          __name__: metrics[i % 100]!,
          job: `job-${target % 5}`,
          instance: `10.${target >> 16}.${(target >> 8) & 255}.${target & 255}:9100`,
          code: Math.floor(i / 100) % 2 === 0 ? '200' : '500',
        }),
      );
    }
    const values = new Float64Array(SERIES).map(() => Math.floor(rand() * 1e6));
    for (let s = 0; s < perSeries; s++) {
      for (let i = 0; i < SERIES; i++) {
        values[i]! += Math.floor(rand() * 100);
        db.append(refs[i]!, T0 + s * 15_000, values[i]!);
      }
      if (s % 20 === 19) db.flush();
    }
    db.flush();
    for (let i = 0; i < SERIES; i++) db.append(refs[i]!, T0 + perSeries * 15_000, values[i]! + 1);
    const start = performance.now();
    db.flush();
    const flushMs = performance.now() - start;
    const after = usage();
    const per = (a: number, b: number) => (a - b) / SERIES;
    const result = {
      rssPerSeries: per(after.rss, before.rss),
      heapPerSeries: per(after.heap, before.heap),
      externalPerSeries: per(after.external, before.external),
      flushMs,
    };
    // Keeps the store reachable until measured.
    if (db.stats().series !== SERIES) throw new Error('series lost');
    db.close();
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  const [series, perSeries, perChunk] = process.argv.slice(3).map(Number);
  process.stdout.write(JSON.stringify(child(series!, perSeries!, perChunk!)));
} else {
  const script = fileURLToPath(import.meta.url);
  const whole = (n: number) => Math.round(n).toLocaleString('en-US');
  const measure = (series: number, perSeries: number, perChunk: number) => {
    const runs: Measured[] = [];
    for (let r = 0; r < RUNS; r++) {
      const args = ['--expose-gc', script, 'child', String(series), String(perSeries), String(perChunk)];
      const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
      runs.push(JSON.parse(out.stdout) as Measured);
    }
    return (key: keyof Measured) => median(runs.map((r) => r[key]));
  };
  console.log('## tsdb-memory\n');
  console.log(
    `Series with 4 labels (fleet-shaped), file Tsdb; RSS growth over a baseline after gc, in a fresh ` +
      `node --expose-gc child per run; medians of ${RUNS} runs. "Steady state": past the first cut (every series ` +
      'cut at the same scrape, so all the full chunks waited for the same flush), the open chunk half full. ' +
      '"Marginal" is the RSS slope between the two series counts (fixed costs such as the SQLite page cache and ' +
      "V8's young generation left out). External counts every ArrayBuffer's whole length, the head arena's " +
      'unwritten reserve included (not resident). The flush column is one flush with every head changed.\n',
  );
  console.log(
    '| samples/chunk | samples in the open chunk | series | RSS B/series | marginal RSS B/series | heap B/series | external B/series | flush, all heads changed (ms) |',
  );
  console.log('|--:|--:|--:|--:|--:|--:|--:|--:|');
  let headline = 0;
  for (const perChunk of [120, 240]) {
    const perSeries = perChunk + perChunk / 2;
    const small = measure(SERIES, perSeries, perChunk);
    const large = measure(2 * SERIES, perSeries, perChunk);
    const marginal = 2 * large('rssPerSeries') - small('rssPerSeries');
    if (perChunk === 240) headline = marginal;
    for (const [m, n] of [
      [small, SERIES],
      [large, 2 * SERIES],
    ] as const) {
      console.log(
        `| ${perChunk} | ${perChunk / 2} | ${whole(n)} | ${whole(m('rssPerSeries'))} | ${m === large ? whole(marginal) : ''} | ` +
          `${whole(m('heapPerSeries'))} | ${whole(m('externalPerSeries'))} | ${m('flushMs').toFixed(0)} |`,
      );
    }
  }
  console.log(
    `\nGoal, ≤ ${GOAL_BYTES} B RSS per active series (default 240 samples/chunk, marginal, steady state): ${whole(headline)} (${headline <= GOAL_BYTES ? 'met' : 'not met'}).\n`,
  );
}
