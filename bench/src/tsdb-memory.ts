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
  return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
}

// In the child: SERIES series shaped like a fleet (100 metric names × 500 targets × 2 codes), `perSeries`
// samples each at 15 s, flushed as the timer would; the head then holds perSeries mod samplesPerChunk samples.
function child(perSeries: number): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-memory-'));
  try {
    const before = usage();
    const db = Tsdb.open({ path: join(dir, 'tsdb.db'), flushIntervalMs: 0, retentionIntervalMs: 0 });
    const rand = seeded(7);
    const metrics = Array.from({ length: 100 }, (_, i) => `app_metric_${i}_total`);
    const refs: number[] = [];
    for (let i = 0; i < SERIES; i++) {
      const target = Math.floor(i / 200) % 500;
      refs.push(
        db.series({
          __name__: metrics[i % 100]!,
          job: `job-${target % 5}`,
          instance: `10.0.${(target >> 8) & 255}.${target & 255}:9100`,
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
  process.stdout.write(JSON.stringify(child(Number(process.argv[3]))));
} else {
  const script = fileURLToPath(import.meta.url);
  const whole = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log('## tsdb-memory\n');
  console.log(
    `${whole(SERIES)} series (4 labels, fleet-shaped), file Tsdb with default 240 samples/chunk; RSS growth over a ` +
      `baseline after gc, in a fresh node --expose-gc child per run; medians of ${RUNS} runs. The flush column is ` +
      'one flush with every head changed (all series).\n',
  );
  console.log(
    '| samples in each open head chunk | RSS B/series | heap B/series | external B/series | flush, all heads changed (ms) |',
  );
  console.log('|--:|--:|--:|--:|--:|');
  let headline = 0;
  for (const perSeries of [60, 120, 239]) {
    const runs: Measured[] = [];
    for (let r = 0; r < RUNS; r++) {
      const out = spawnSync(process.execPath, ['--expose-gc', script, 'child', String(perSeries)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
      runs.push(JSON.parse(out.stdout) as Measured);
    }
    const m = (key: keyof Measured) => median(runs.map((r) => r[key]));
    if (perSeries === 120) headline = m('rssPerSeries');
    console.log(
      `| ${perSeries + 1} | ${whole(m('rssPerSeries'))} | ${whole(m('heapPerSeries'))} | ${whole(m('externalPerSeries'))} | ${m('flushMs').toFixed(0)} |`,
    );
  }
  console.log(
    `\nGoal, ≤ ${GOAL_BYTES} B RSS per active series (head half full, 121 samples): ${whole(headline)} (${headline <= GOAL_BYTES ? 'met' : 'not met'}).\n`,
  );
}
