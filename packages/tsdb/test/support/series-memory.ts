// Rough memory per active series in the index plus its head chunk (not a test: run it with
// `node --expose-gc packages/tsdb/dist/test/support/series-memory.js [series] [samplesPerSeries]`).
import { HeadChunks } from '../../src/chunks/head-chunks.js';
import { SeriesIndex } from '../../src/series/series-index.js';
import { seeded } from './chunks-samples.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function usage() {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
}

const count = Number(process.argv[2] ?? 100_000);
const perSeries = Number(process.argv[3] ?? 60);
const rand = seeded(7);
// Shaped like a fleet: 100 metric names × 500 targets × 2 status codes, 5 jobs; `unique` makes the
// instance label nearly unique per series instead (a cardinality worst case).
const unique = process.argv[4] === 'unique';
const metrics = Array.from({ length: 100 }, (_, i) => `app_metric_${i}_total`);
const before = usage();
// Module-level on purpose: the structures must stay reachable while memory is measured.
const index = new SeriesIndex();
// Full chunks are dropped at the cut, as if persisted, so only the open chunk stays in memory.
const head = new HeadChunks();
const ids: number[] = [];
for (let i = 0; i < count; i++) {
  const target = unique ? i : Math.floor(i / 200) % 500;
  ids.push(
    index.add({
      __name__: metrics[i % 100]!,
      job: `job-${target % 5}`,
      instance: `10.0.${(target >> 8) & 255}.${target & 255}:9100`,
      code: Math.floor(i / 100) % 2 === 0 ? '200' : '500',
    }),
  );
}
const afterIndex = usage();
const T0 = Date.UTC(2026, 10, 23);
const values = new Float64Array(count).map(() => Math.floor(rand() * 1e6));
for (let s = 0; s < perSeries; s++) {
  for (let i = 0; i < count; i++) {
    values[i]! += Math.floor(rand() * 100);
    head.append(ids[i]!, T0 + s * 15_000, values[i]!);
  }
}
const after = usage();
const per = (a: number, b: number) => ((a - b) / count).toFixed(0);
console.log(`${count} series, ${perSeries} samples each (${perSeries % 120 || 120} in the open head chunk, cap 120)`);
console.log(
  `index: ${per(afterIndex.rss, before.rss)} B RSS/series (heap ${per(afterIndex.heap, before.heap)}, external ${per(afterIndex.external, before.external)})`,
);
console.log(
  `head:  ${per(after.rss, afterIndex.rss)} B RSS/series (heap ${per(after.heap, afterIndex.heap)}, external ${per(after.external, afterIndex.external)})`,
);
console.log(
  `total: ${per(after.rss, before.rss)} B RSS/series, heap+external ${per(after.heap + after.external, before.heap + before.external)} B/series`,
);
// Keeps both alive to here: optimized code may otherwise let the GC take them before the measurement.
console.log(`(${index.size} series indexed, ${head.size} open chunks)`);
