// histogram_quantile(s) and histogram_fraction over classic histograms: the `le` buckets of one series group, as
// Prometheus interpolates them.
import { goFloat } from '../eval/annotations.js';
import type { Evaluator } from '../eval/evaluator.js';
import { dropLabels, getLabel, labelsKey, NAME, setLabel } from '../eval/labels.js';
import type { StepSeries } from '../eval/values.js';
import { SeriesCollector } from '../eval/values.js';
import type { Call, Expr } from '../parse/ast.js';
import { goQuote } from '../parse/literals.js';
import type { Label } from '../storage/querier.js';
import { stringArg } from './args.js';

/** Bucket upper bounds and cumulative counts at one step, sorted by bound, equal bounds merged. */
export interface Buckets {
  upper: number[];
  count: number[];
}

interface Group {
  labels: Label[];
  name: string;
  members: { le: number; s: StepSeries }[];
}

const scratch: Buckets = { upper: [], count: [] };

/** Sorts, merges equal bounds and fixes float noise; reports whether counts had to be forced monotonic. */
function normalize(b: Buckets): boolean {
  const idx = b.upper.map((_, i) => i).sort((x, y) => b.upper[x]! - b.upper[y]!);
  const upper: number[] = [];
  const count: number[] = [];
  for (const i of idx) {
    if (upper.length > 0 && upper[upper.length - 1] === b.upper[i]) count[count.length - 1]! += b.count[i]!;
    else {
      upper.push(b.upper[i]!);
      count.push(b.count[i]!);
    }
  }
  b.upper = upper;
  b.count = count;
  let prev = count[0]!;
  for (let i = 1; i < count.length; i++) {
    const cur = count[i]!;
    const delta = Math.abs(cur - prev);
    if (delta === 0) continue;
    if (delta / cur <= 1e-12) count[i] = prev;
    else prev = cur;
  }
  let forced = false;
  let max = count[0]!;
  for (let i = 1; i < count.length; i++) {
    if (count[i]! > max) max = count[i]!;
    else if (count[i]! < max) {
      count[i] = max;
      forced = true;
    }
  }
  return forced;
}

/** The q-quantile of normalized buckets. */
export function bucketQuantile(q: number, b: Buckets): number {
  const { upper, count } = b;
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (upper[upper.length - 1] !== Number.POSITIVE_INFINITY || upper.length < 2) return Number.NaN;
  const observations = count[count.length - 1]!;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let i = 0;
  while (i < count.length - 1 && !(count[i]! >= rank)) i++;
  if (i === upper.length - 1) return upper[upper.length - 2]!;
  if (i === 0 && upper[0]! <= 0) return upper[0]!;
  let start = 0;
  let c = count[i]!;
  if (i > 0) {
    start = upper[i - 1]!;
    c -= count[i - 1]!;
    rank -= count[i - 1]!;
  }
  return start + (upper[i]! - start) * (rank / c);
}

/**
 * The fraction of observations in [lower, upper] of normalized buckets. The lowest bucket starts at 0 when its
 * bound is positive; where a bound falls inside a bucket of infinite width, that bucket's part counts as empty.
 */
export function bucketFraction(lower: number, upper: number, b: Buckets): number {
  const n = b.upper.length;
  if (n === 0 || b.upper[n - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  const total = b.count[n - 1]!;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return Number.NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  const position = (v: number, lo: number, hi: number, count: number): number => {
    if (lo === Number.NEGATIVE_INFINITY) return rank + count;
    if (hi === Number.POSITIVE_INFINITY) return rank;
    return rank + (count * (v - lo)) / (hi - lo);
  };
  for (let i = 0; i < n; i++) {
    const hi = b.upper[i]!;
    const lo = i > 0 ? b.upper[i - 1]! : hi > 0 ? 0 : Number.NEGATIVE_INFINITY;
    const count = b.count[i]! - (i > 0 ? b.count[i - 1]! : 0);
    if (!lowerSet && lo >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lo >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lo < lower && hi > lower) {
      lowerRank = position(lower, lo, hi, count);
      lowerSet = true;
    }
    if (!upperSet && lo < upper && hi > upper) {
      upperRank = position(upper, lo, hi, count);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += count;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

/**
 * Groups bucket series by their labels without `le` (the metric name included, as with Prometheus 3's delayed name
 * removal: two histograms differing only by name collide when the names go); a series without a valid `le` is
 * warned about and left out.
 */
function groupBuckets(ev: Evaluator, input: StepSeries[], arg: Expr): Group[] {
  const without = new Set(['le']);
  const groups = new Map<string, Group>();
  for (const s of input) {
    const leText = getLabel(s.labels, 'le');
    const le = parseLe(leText);
    if (Number.isNaN(le)) {
      const name = getLabel(s.labels, NAME);
      ev.state.annotations.warn(
        `bucket label "le" is missing or has a malformed value of ${goQuote(leText)} for metric name ${goQuote(name)}`,
        arg,
      );
      continue;
    }
    const key = labelsKey(dropLabels(s.labels, without));
    let g = groups.get(key);
    if (!g) {
      g = { labels: dropLabels(s.labels, without), name: getLabel(s.labels, NAME), members: [] };
      groups.set(key, g);
    }
    g.members.push({ le, s });
  }
  return [...groups.values()];
}

/** Evaluates `f` on each group's buckets at each step where the group has any. */
function perStep(groups: Group[], n: number, f: (b: Buckets, i: number, g: Group) => number): StepSeries[] {
  const c = new SeriesCollector(n);
  for (const g of groups) {
    let out: StepSeries | undefined;
    for (let i = 0; i < n; i++) {
      scratch.upper = [];
      scratch.count = [];
      for (const m of g.members) {
        if (m.s.present[i] === 1) {
          scratch.upper.push(m.le);
          scratch.count.push(m.s.values[i]!);
        }
      }
      if (scratch.upper.length === 0) continue;
      out ??= c.get(g.labels, true);
      SeriesCollector.set(out, i, f(scratch, i, g));
    }
  }
  return c.series;
}

function checkQuantile(ev: Evaluator, q: Float64Array, arg: Expr): void {
  for (const v of q) {
    if (Number.isNaN(v) || v < 0 || v > 1) {
      ev.state.annotations.warn(`quantile value should be between 0 and 1, got ${goFloat(v)}`, arg);
      return;
    }
  }
}

function quantiles(ev: Evaluator, q: Float64Array, groups: Group[], arg: Expr): StepSeries[] {
  return perStep(groups, ev.n, (b, i, g) => {
    if (normalize(b)) {
      ev.state.annotations.info(
        `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${goQuote(g.name)}`,
        arg,
      );
    }
    return bucketQuantile(q[i]!, b);
  });
}

/** histogram_quantile(q, buckets). */
export function histogramQuantile(ev: Evaluator, e: Call): StepSeries[] {
  const q = ev.scalar(e.args[0]!);
  checkQuantile(ev, q, e.args[0]!);
  const groups = groupBuckets(ev, ev.vector(e.args[1]!), e.args[1]!);
  return quantiles(ev, q, groups, e.args[1]!);
}

/** histogram_quantiles(buckets, "label", q...): one series per quantile, labelled with it. */
export function histogramQuantiles(ev: Evaluator, e: Call): StepSeries[] {
  const groups = groupBuckets(ev, ev.vector(e.args[0]!), e.args[0]!);
  const label = stringArg(e.args[1]!);
  const out: StepSeries[] = [];
  for (const qe of e.args.slice(2)) {
    const q = ev.scalar(qe);
    checkQuantile(ev, q, qe);
    const value = formatOpenMetricsFloat(q[0]!);
    for (const s of quantiles(ev, q, groups, e.args[0]!)) out.push({ ...s, labels: setLabel(s.labels, label, value) });
  }
  return out;
}

/** histogram_fraction(lower, upper, buckets). */
export function histogramFraction(ev: Evaluator, e: Call): StepSeries[] {
  const lower = ev.scalar(e.args[0]!);
  const upper = ev.scalar(e.args[1]!);
  const groups = groupBuckets(ev, ev.vector(e.args[2]!), e.args[2]!);
  return perStep(groups, ev.n, (b, i) => {
    normalize(b);
    return bucketFraction(lower[i]!, upper[i]!, b);
  });
}

/** A float as OpenMetrics writes label values (`0.5`, `1.0`, `+Inf`). */
function formatOpenMetricsFloat(v: number): string {
  if (Number.isInteger(v)) return `${v}.0`;
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function parseLe(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '') return Number.NaN;
  if (t === '+inf' || t === 'inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(t);
}
