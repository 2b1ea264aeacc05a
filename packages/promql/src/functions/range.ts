// Functions over range vectors (rate, *_over_time, ...): a kernel reads one window [lo, hi) of one series' samples.
import { kahan, kahanInc, quantileOf } from './kahan.js';

/** The window a kernel works on; start is exclusive, end inclusive (ms). */
export interface Window {
  start: number;
  end: number;
  rangeMs: number;
  /** The evaluation time of the step (without offset). */
  t: number;
  /** Scalar arguments at this step. */
  p0: number;
  p1: number;
}

/** A range function: the fewest samples it needs and how it reduces a window to one value. */
export interface RangeFunction {
  minSamples: number;
  kernel: (ts: Float64Array, vs: Float64Array, lo: number, hi: number, w: Window) => number;
  /**
   * Called with each series' samples before its windows are reduced, to precompute what every window shares; the
   * windows of one series then come in order (neither lo nor hi ever decreases).
   */
  prepare?: (ts: Float64Array, vs: Float64Array, len: number) => void;
  /** Keeps the metric name (last_over_time, first_over_time). */
  keepName?: boolean;
}

function extrapolatedRate(
  ts: Float64Array,
  vs: Float64Array,
  lo: number,
  hi: number,
  w: Window,
  isCounter: boolean,
  isRate: boolean,
): number {
  const last = hi - 1;
  const firstT = ts[lo]!;
  const lastT = ts[last]!;
  let result = vs[last]! - vs[lo]!;
  // Most windows hold no reset: countResets tells which do, so only those are scanned (in order, as Prometheus adds).
  if (isCounter && resetsUpTo[last] !== resetsUpTo[lo]) {
    for (let i = lo + 1; i < hi; i++) if (vs[i]! < vs[i - 1]!) result += vs[i - 1]!;
  }
  let durationToStart = (firstT - w.start) / 1000;
  const durationToEnd0 = (w.end - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avgBetween = sampledInterval / (hi - lo - 1);
  const threshold = avgBetween * 1.1;
  if (durationToStart >= threshold) durationToStart = avgBetween / 2;
  if (isCounter && result > 0 && vs[lo]! >= 0) {
    const durationToZero = sampledInterval * (vs[lo]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const durationToEnd = durationToEnd0 >= threshold ? avgBetween / 2 : durationToEnd0;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

/** resetsUpTo[i]: how many samples in 1..i of the series being evaluated are below the one before (counter resets). */
let resetsUpTo = new Int32Array(256);

function countResets(_ts: Float64Array, vs: Float64Array, len: number): void {
  if (resetsUpTo.length < len) resetsUpTo = new Int32Array(len * 2);
  let n = 0;
  resetsUpTo[0] = 0;
  for (let i = 1; i < len; i++) {
    if (vs[i]! < vs[i - 1]!) n++;
    resetsUpTo[i] = n;
  }
}

/**
 * When every sample of the series being evaluated is an integer small enough that no sum of a window can round
 * (|v| * len <= 2^53 - 1), Kahan summation adds nothing and a window's sum is exactly prefixSum[hi] - prefixSum[lo]:
 * the same bits the loop would give, in constant time per window. Counters and most gauges are such series.
 */
let exactSums = false;
let prefixSum = new Float64Array(257);

function sumPrefixes(_ts: Float64Array, vs: Float64Array, len: number): void {
  const limit = Number.MAX_SAFE_INTEGER / len;
  exactSums = false;
  for (let i = 0; i < len; i++) {
    const v = vs[i]!;
    if (!Number.isInteger(v) || Math.abs(v) > limit) return;
  }
  if (prefixSum.length < len + 1) prefixSum = new Float64Array(len * 2 + 1);
  let sum = 0;
  prefixSum[0] = 0;
  for (let i = 0; i < len; i++) prefixSum[i + 1] = sum += vs[i]!;
  exactSums = true;
}

function instantValue(ts: Float64Array, vs: Float64Array, hi: number, isRate: boolean): number {
  const a = vs[hi - 2]!;
  const b = vs[hi - 1]!;
  const interval = ts[hi - 1]! - ts[hi - 2]!;
  let r = isRate && b < a ? b : b - a;
  if (isRate) r /= interval / 1000;
  return r;
}

const regression = { slope: 0, intercept: 0 };

function linearRegression(ts: Float64Array, vs: Float64Array, lo: number, hi: number, interceptTime: number): void {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = vs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n++;
    const x = (ts[i]! - interceptTime) / 1000;
    kahanInc(x, sumX, cX);
    sumX = kahan.sum;
    cX = kahan.c;
    kahanInc(y, sumY, cY);
    sumY = kahan.sum;
    cY = kahan.c;
    kahanInc(x * y, sumXY, cXY);
    sumXY = kahan.sum;
    cXY = kahan.c;
    kahanInc(x * x, sumX2, cX2);
    sumX2 = kahan.sum;
    cX2 = kahan.c;
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) {
      regression.slope = Number.NaN;
      regression.intercept = Number.NaN;
    } else {
      regression.slope = 0;
      regression.intercept = initY;
    }
    return;
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  regression.slope = covXY / varX;
  regression.intercept = sumY / n - (regression.slope * sumX) / n;
}

function variance(vs: Float64Array, lo: number, hi: number): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    count++;
    const delta = f - (mean + cMean);
    kahanInc(delta / count, mean, cMean);
    mean = kahan.sum;
    cMean = kahan.c;
    kahanInc(delta * (f - (mean + cMean)), aux, cAux);
    aux = kahan.sum;
    cAux = kahan.c;
  }
  return (aux + cAux) / count;
}

function average(vs: Float64Array, lo: number, hi: number): number {
  // The compensation stays 0 for exact sums; "+ 0 / n" keeps the loop's result for a sum of -0 (+0).
  if (exactSums) return (prefixSum[hi]! - prefixSum[lo]!) / (hi - lo) + 0 / (hi - lo);
  // kahanInc inlined: this loop runs for every sample of every window.
  let sum = vs[lo]!;
  let c = 0;
  let i = lo + 1;
  for (; i < hi; i++) {
    const f = vs[i]!;
    const t = sum + f;
    if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) break;
    if (Math.abs(sum) >= Math.abs(f)) c += sum - t + f;
    else c += f - t + sum;
    sum = t;
  }
  if (i === hi) {
    const count = hi - lo;
    return sum / count + c / count;
  }
  // The sum overflowed: continue with an incremental mean, as Prometheus does.
  let mean = sum / (i - lo);
  c /= i - lo;
  for (; i < hi; i++) {
    const count = i - lo + 1;
    const q = (count - 1) / count;
    kahanInc(vs[i]! / count, q * mean, q * c);
    mean = kahan.sum;
    c = kahan.c;
  }
  return mean + c;
}

let scratch = new Float64Array(64);
function copyWindow(vs: Float64Array, lo: number, hi: number): Float64Array {
  if (scratch.length < hi - lo) scratch = new Float64Array((hi - lo) * 2);
  scratch.set(vs.subarray(lo, hi));
  return scratch;
}

/**
 * min/max_over_time and ts_of_*: a monotonic deque of sample indices over the series being evaluated, so each step
 * costs O(1) amortized instead of a scan of its window. Its front is what Prometheus's loop keeps: the winner among
 * the window's non-NaN samples, the first of equal ones, or with `orEqual` the last (the ts_of_* functions); a window
 * of NaNs only gives its last sample, as the loop does (a NaN loses to any later sample).
 */
let deque = new Int32Array(256);
let dequeHead = 0;
let dequeTail = 0;
let dequeNext = 0;

function startDeque(_ts: Float64Array, _vs: Float64Array, len: number): void {
  if (deque.length < len) deque = new Int32Array(len * 2);
  dequeHead = 0;
  dequeTail = 0;
  dequeNext = 0;
}

function extremum(
  ts: Float64Array,
  vs: Float64Array,
  lo: number,
  hi: number,
  max: boolean,
  orEqual: boolean,
  timestamp: boolean,
): number {
  for (; dequeNext < hi; dequeNext++) {
    const v = vs[dequeNext]!;
    if (Number.isNaN(v)) continue;
    while (dequeTail > dequeHead) {
      const last = vs[deque[dequeTail - 1]!]!;
      if (!(max ? last < v : last > v) && !(orEqual && last === v)) break;
      dequeTail--;
    }
    deque[dequeTail++] = dequeNext;
  }
  while (dequeHead < dequeTail && deque[dequeHead]! < lo) dequeHead++;
  const best = dequeHead < dequeTail ? deque[dequeHead]! : hi - 1;
  return timestamp ? ts[best]! / 1000 : vs[best]!;
}

function smoothing(vs: Float64Array, lo: number, hi: number, sf: number, tf: number): number {
  let s0 = 0;
  let s1 = vs[lo]!;
  let b = vs[lo + 1]! - vs[lo]!;
  for (let i = lo + 1; i < hi; i++) {
    const x = sf * vs[i]!;
    if (i - 1 > lo) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

/** Every range function except absent_over_time (which the evaluator handles). */
export const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: {
    minSamples: 2,
    prepare: countResets,
    kernel: (ts, vs, lo, hi, w) => extrapolatedRate(ts, vs, lo, hi, w, true, true),
  },
  increase: {
    minSamples: 2,
    prepare: countResets,
    kernel: (ts, vs, lo, hi, w) => extrapolatedRate(ts, vs, lo, hi, w, true, false),
  },
  delta: { minSamples: 2, kernel: (ts, vs, lo, hi, w) => extrapolatedRate(ts, vs, lo, hi, w, false, false) },
  irate: { minSamples: 2, kernel: (ts, vs, _lo, hi) => instantValue(ts, vs, hi, true) },
  idelta: { minSamples: 2, kernel: (ts, vs, _lo, hi) => instantValue(ts, vs, hi, false) },
  deriv: {
    minSamples: 2,
    kernel: (ts, vs, lo, hi) => {
      linearRegression(ts, vs, lo, hi, ts[lo]!);
      return regression.slope;
    },
  },
  predict_linear: {
    minSamples: 2,
    kernel: (ts, vs, lo, hi, w) => {
      linearRegression(ts, vs, lo, hi, w.t);
      return regression.slope * w.p0 + regression.intercept;
    },
  },
  resets: { minSamples: 1, prepare: countResets, kernel: (_ts, _vs, lo, hi) => resetsUpTo[hi - 1]! - resetsUpTo[lo]! },
  changes: {
    minSamples: 1,
    kernel: (_ts, vs, lo, hi) => {
      let n = 0;
      for (let i = lo + 1; i < hi; i++) {
        const a = vs[i - 1]!;
        const b = vs[i]!;
        if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) n++;
      }
      return n;
    },
  },
  avg_over_time: { minSamples: 1, prepare: sumPrefixes, kernel: (_ts, vs, lo, hi) => average(vs, lo, hi) },
  sum_over_time: {
    minSamples: 1,
    prepare: sumPrefixes,
    kernel: (_ts, vs, lo, hi) => {
      if (exactSums) return prefixSum[hi]! - prefixSum[lo]! + 0;
      let sum = 0;
      let c = 0;
      for (let i = lo; i < hi; i++) {
        const f = vs[i]!;
        const t = sum + f;
        if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) c = 0;
        else if (Math.abs(sum) >= Math.abs(f)) c += sum - t + f;
        else c += f - t + sum;
        sum = t;
      }
      return Number.isFinite(sum) ? sum + c : sum;
    },
  },
  count_over_time: { minSamples: 1, kernel: (_ts, _vs, lo, hi) => hi - lo },
  min_over_time: {
    minSamples: 1,
    prepare: startDeque,
    kernel: (ts, vs, lo, hi) => extremum(ts, vs, lo, hi, false, false, false),
  },
  max_over_time: {
    minSamples: 1,
    prepare: startDeque,
    kernel: (ts, vs, lo, hi) => extremum(ts, vs, lo, hi, true, false, false),
  },
  ts_of_min_over_time: {
    minSamples: 1,
    prepare: startDeque,
    kernel: (ts, vs, lo, hi) => extremum(ts, vs, lo, hi, false, true, true),
  },
  ts_of_max_over_time: {
    minSamples: 1,
    prepare: startDeque,
    kernel: (ts, vs, lo, hi) => extremum(ts, vs, lo, hi, true, true, true),
  },
  ts_of_first_over_time: { minSamples: 1, kernel: (ts, _vs, lo) => ts[lo]! / 1000 },
  ts_of_last_over_time: { minSamples: 1, kernel: (ts, _vs, _lo, hi) => ts[hi - 1]! / 1000 },
  last_over_time: { minSamples: 1, keepName: true, kernel: (_ts, vs, _lo, hi) => vs[hi - 1]! },
  first_over_time: { minSamples: 1, keepName: true, kernel: (_ts, vs, lo) => vs[lo]! },
  present_over_time: { minSamples: 1, kernel: () => 1 },
  stddev_over_time: { minSamples: 1, kernel: (_ts, vs, lo, hi) => Math.sqrt(variance(vs, lo, hi)) },
  stdvar_over_time: { minSamples: 1, kernel: (_ts, vs, lo, hi) => variance(vs, lo, hi) },
  quantile_over_time: {
    minSamples: 1,
    kernel: (_ts, vs, lo, hi, w) => quantileOf(w.p0, copyWindow(vs, lo, hi), hi - lo),
  },
  mad_over_time: {
    minSamples: 1,
    kernel: (_ts, vs, lo, hi) => {
      const n = hi - lo;
      for (let i = lo; i < hi; i++) if (Number.isNaN(vs[i]!)) return Number.NaN;
      const median = quantileOf(0.5, copyWindow(vs, lo, hi), n);
      for (let i = 0; i < n; i++) scratch[i] = Math.abs(vs[lo + i]! - median);
      return quantileOf(0.5, scratch, n);
    },
  },
  double_exponential_smoothing: {
    minSamples: 2,
    kernel: (_ts, vs, lo, hi, w) => smoothing(vs, lo, hi, w.p0, w.p1),
  },
};
