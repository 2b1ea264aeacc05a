// The synthetic dashboard workload: HTTP services scraped every 15 s, each target exposing 100
// series (request counters, a classic latency histogram, gauges), written into a Vigil TSDB file
// the way the scrape loop writes them: one scrape of every target per step, in time order.
import { Tsdb } from '@vigil/tsdb';

/** What to generate: the series count (a multiple of 100: one target each) and how long a history. */
export interface WorkloadSize {
  series: number;
  hours: number;
}

/** A generated workload: where it lies in time and how much of it there is. */
export interface Workload extends WorkloadSize {
  /** The newest scrape's step, a multiple of 15 s (ms); queries end here. */
  endMs: number;
  samples: number;
  targets: number;
}

/** The scrape interval, and the step of every query. */
export const STEP_MS = 15_000;
/** History generated before the first queried step, so a `[5m]` window is full from the first point. */
const LEAD_MS = 10 * 60_000;
/** Series one target exposes: 20 counters + 5 histograms × 14 + 10 gauges. */
export const SERIES_PER_TARGET = 100;

const JOBS = ['api', 'web', 'checkout', 'search'];
const ROUTES = ['/users', '/orders', '/search', '/login', '/cart'];
const STATUSES: readonly [string, number][] = [
  ['200', 0.95],
  ['404', 0.03],
  ['500', 0.015],
  ['503', 0.005],
];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A small seeded generator (mulberry32), so every run loads the same values. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** P(latency ≤ le) for a log-normal latency with this median (σ 0.8). */
function latencyCdf(le: number, median: number): number {
  const z = Math.log(le / median) / 0.8;
  // Abramowitz–Stegun 7.1.26 erf: smooth and monotonic, which is all the buckets need.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152073) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return 0.5 * (1 + (z < 0 ? -erf : erf));
}

/** One target's series refs and running values. */
interface Target {
  offsetMs: number;
  /** Step index at which this target restarts (its counters reset), or -1. */
  restartAt: number;
  refs: number[];
  values: Float64Array;
  baseRate: number[];
  medianLatency: number[];
}

function makeTarget(db: Tsdb, index: number, next: () => number): Target {
  const job = JOBS[index % JOBS.length]!;
  const instance = `10.0.${index >> 8}.${index & 255}:8080`;
  const base = { job, instance };
  const refs: number[] = [];
  for (const route of ROUTES) {
    for (const [status] of STATUSES) refs.push(db.series({ __name__: 'http_requests_total', ...base, route, status }));
  }
  for (const route of ROUTES) {
    for (const le of [...BUCKETS.map(String), '+Inf']) {
      refs.push(db.series({ __name__: 'http_request_duration_seconds_bucket', ...base, route, le }));
    }
    refs.push(db.series({ __name__: 'http_request_duration_seconds_sum', ...base, route }));
    refs.push(db.series({ __name__: 'http_request_duration_seconds_count', ...base, route }));
  }
  for (const route of ROUTES) refs.push(db.series({ __name__: 'http_requests_in_flight', ...base, route }));
  for (const name of ['process_resident_memory_bytes', 'process_open_fds', 'nodejs_heap_used_bytes', 'up']) {
    refs.push(db.series({ __name__: name, ...base }));
  }
  refs.push(db.series({ __name__: 'process_cpu_seconds_total', ...base }));
  if (refs.length !== SERIES_PER_TARGET)
    throw new Error(`a target has ${refs.length} series, not ${SERIES_PER_TARGET}`);
  return {
    // Scrapes never land on a 15 s boundary, as real targets' hashed offsets rarely do: no sample sits
    // exactly on the edge of a query's window, where Prometheus 2 (closed) and 3 (left-open) differ.
    offsetMs: 1 + Math.floor(next() * (STEP_MS - 2)),
    restartAt: index % 17 === 3 ? -2 : -1,
    refs,
    values: new Float64Array(SERIES_PER_TARGET),
    baseRate: ROUTES.map(() => 1 + next() * 40),
    medianLatency: ROUTES.map(() => 0.02 + next() * 0.3),
  };
}

/** Advances one target by one scrape and appends its 100 samples at `t`. */
function scrape(db: Tsdb, target: Target, step: number, t: number, next: () => number): void {
  const v = target.values;
  if (step === target.restartAt) v.fill(0);
  const daily = 1 + 0.4 * Math.sin((2 * Math.PI * t) / 86_400_000);
  let i = 0;
  const requests: number[] = [];
  for (let r = 0; r < ROUTES.length; r++) {
    const n = Math.round(target.baseRate[r]! * 15 * daily * (0.8 + 0.4 * next()));
    requests.push(n);
    for (const [, share] of STATUSES) v[i++]! += Math.floor(n * share + next());
  }
  for (let r = 0; r < ROUTES.length; r++) {
    const n = requests[r]!;
    const median = target.medianLatency[r]! * (0.9 + 0.2 * next());
    for (const le of BUCKETS) v[i++]! += Math.floor(n * latencyCdf(le, median));
    v[i++]! += n;
    v[i++]! += n * median * 1.377 * (0.95 + 0.1 * next());
    v[i++]! += n;
  }
  for (let r = 0; r < ROUTES.length; r++) v[i++] = Math.floor(next() * 20);
  v[i++] = 120e6 + Math.floor(next() * 30e6);
  v[i++] = 40 + Math.floor(next() * 10);
  v[i++] = 50e6 + next() * 20e6;
  v[i++] = 1;
  v[i++]! += 0.05 + next() * 0.1;
  for (let k = 0; k < SERIES_PER_TARGET; k++) {
    const result = db.append(target.refs[k]!, t, v[k]!);
    if (result !== 'ok') throw new Error(`append refused (${result}) at ${t}`);
  }
}

/**
 * Writes `size` into a new TSDB file at `path`: samples every 15 s from `hours` (plus 10 minutes)
 * before the newest step up to it, the newest step being the last 15 s boundary before now.
 */
export function writeWorkload(path: string, size: WorkloadSize, now = Date.now()): Workload {
  if (size.series % SERIES_PER_TARGET !== 0) throw new Error(`series must be a multiple of ${SERIES_PER_TARGET}`);
  const endMs = Math.floor(now / STEP_MS) * STEP_MS - STEP_MS;
  const steps = (size.hours * 3_600_000 + LEAD_MS) / STEP_MS;
  const next = random(size.series * 31 + size.hours);
  const db = Tsdb.open({ path, flushIntervalMs: 0, retentionIntervalMs: 0, retentionMs: 3650 * 86_400_000 });
  try {
    db.setMetadata('http_requests_total', { type: 'counter', help: 'HTTP requests answered.' });
    db.setMetadata('http_request_duration_seconds', { type: 'histogram', help: 'HTTP request latency.' });
    db.setMetadata('http_requests_in_flight', { type: 'gauge', help: 'HTTP requests being answered.' });
    db.setMetadata('process_cpu_seconds_total', { type: 'counter', help: 'CPU time used.' });
    const targets: Target[] = [];
    for (let k = 0; k < size.series / SERIES_PER_TARGET; k++) targets.push(makeTarget(db, k, next));
    const midway = Math.floor(steps / 2);
    for (const target of targets) if (target.restartAt === -2) target.restartAt = midway;
    // The first sample of each target comes one offset after the step that starts its history.
    for (let step = 0; step < steps; step++) {
      const stepStart = endMs - (steps - step) * STEP_MS;
      for (const target of targets) scrape(db, target, step, stepStart + target.offsetMs, next);
      if (step % 240 === 239) db.flush();
    }
    db.flush();
    return { ...size, endMs, samples: steps * size.series, targets: targets.length };
  } finally {
    db.close();
  }
}
