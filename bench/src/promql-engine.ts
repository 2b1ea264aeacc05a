// The engine alone, in process: range queries that return every series (2,000 series × 1,441 steps of 15 s by
// default) over an in-memory TSDB, with no HTTP and no JSON, to see the cost of range functions per series.
import { loadavg } from 'node:os';
import { Engine } from '@vigil/promql';
import { Tsdb } from '@vigil/tsdb';
import { median } from './harness/rounds.js';
import { seeded } from './tsdb/node-workload.js';

const SERIES = Number(process.env.BENCH_PROMQL_ENGINE_SERIES) || 2_000;
const STEPS = 1_441;
const STEP_MS = 15_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 7;

const QUERIES = [
  'rate(http_requests_total[5m])',
  'increase(http_requests_total[5m])',
  'avg_over_time(http_requests_total[5m])',
  'avg_over_time(cpu_usage_ratio[5m])',
  'max_over_time(cpu_usage_ratio[5m])',
  'sum by (job) (rate(http_requests_total[5m]))',
];

/** Counters (one in 17 resets halfway) and float gauges, one sample every 15 s off the step grid. */
function workload(): Tsdb {
  const db = Tsdb.open({ flushIntervalMs: 0, retentionIntervalMs: 0, now: () => STEPS * STEP_MS });
  const rand = seeded(7);
  for (let s = 0; s < SERIES; s++) {
    const counter = db.series({
      __name__: 'http_requests_total',
      job: `j${s % 4}`,
      instance: `i${s % 100}`,
      route: `r${s}`,
    });
    const gauge = db.series({ __name__: 'cpu_usage_ratio', job: `j${s % 4}`, route: `r${s}` });
    let v = 0;
    for (let i = 0; i < STEPS; i++) {
      v = s % 17 === 0 && i === STEPS >> 1 ? 0 : v + Math.floor(rand() * 10);
      db.append(counter, i * STEP_MS + 3_000, v);
      db.append(gauge, i * STEP_MS + 3_000, rand());
    }
  }
  return db;
}

const db = workload();
const engine = new Engine();
const end = (STEPS - 1) * STEP_MS;
console.log(
  `promql-engine: ${SERIES} series × ${STEPS} steps, median of ${ROUNDS} rounds, load ${loadavg()[0]!.toFixed(1)}`,
);
console.log('| query | series | ms (median) | min – max |');
console.log('| ----- | -----: | ----------: | --------: |');
for (const query of QUERIES) {
  const times: number[] = [];
  let series = 0;
  engine.rangeQueryColumns(db, query, 0, end, STEP_MS);
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    series = engine.rangeQueryColumns(db, query, 0, end, STEP_MS).result.length;
    times.push(performance.now() - start);
  }
  const ms = (x: number) => x.toFixed(0);
  console.log(
    `| \`${query}\` | ${series} | ${ms(median(times))} | ${ms(Math.min(...times))} – ${ms(Math.max(...times))} |`,
  );
}
db.close();
