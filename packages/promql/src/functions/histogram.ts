// histogram_quantile(s) over classic histograms: `le` buckets of one series group, as Prometheus interpolates them.
import type { Evaluator } from '../eval/evaluator.js';
import { dropLabels, getLabel, labelsKey, NAME, setLabel } from '../eval/labels.js';
import type { StepSeries } from '../eval/values.js';
import { SeriesCollector } from '../eval/values.js';
import type { Call } from '../parse/ast.js';
import type { Label } from '../storage/querier.js';
import { stringArg } from './args.js';

/** Bucket upper bounds and cumulative counts, reused between calls. */
export interface Buckets {
  upper: number[];
  count: number[];
}

/** The q-quantile of classic buckets (modified in place: sorted, coalesced, made monotonic). */
export function bucketQuantile(q: number, b: Buckets): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const idx = b.upper.map((_, i) => i).sort((x, y) => b.upper[x]! - b.upper[y]!);
  let upper = idx.map((i) => b.upper[i]!);
  let count = idx.map((i) => b.count[i]!);
  if (upper[upper.length - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  // Coalesce buckets with the same upper bound.
  const u2: number[] = [];
  const c2: number[] = [];
  for (let i = 0; i < upper.length; i++) {
    if (u2.length > 0 && u2[u2.length - 1] === upper[i]) c2[c2.length - 1]! += count[i]!;
    else {
      u2.push(upper[i]!);
      c2.push(count[i]!);
    }
  }
  upper = u2;
  count = c2;
  // Precision errors first, then force monotonicity.
  let prev = count[0]!;
  for (let i = 1; i < count.length; i++) {
    const cur = count[i]!;
    const delta = Math.abs(cur - prev);
    if (delta === 0) continue;
    if (delta / cur <= 1e-12) count[i] = prev;
    else prev = cur;
  }
  let max = count[0]!;
  for (let i = 1; i < count.length; i++) {
    if (count[i]! > max) max = count[i]!;
    else if (count[i]! < max) count[i] = max;
  }
  if (upper.length < 2) return Number.NaN;
  const observations = count[count.length - 1]!;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let i = 0;
  while (i < count.length - 1 && !(count[i]! >= rank)) i++;
  if (i === upper.length - 1) return upper[upper.length - 2]!;
  if (i === 0 && upper[0]! <= 0) return upper[0]!;
  let start = 0;
  const end = upper[i]!;
  let c = count[i]!;
  if (i > 0) {
    start = upper[i - 1]!;
    c -= count[i - 1]!;
    rank -= count[i - 1]!;
  }
  return start + (end - start) * (rank / c);
}

export function histogramQuantiles(ev: Evaluator, e: Call): StepSeries[] {
  const input = ev.vector(e.args[0]!);
  const label = stringArg(e.args[1]!);
  const out: StepSeries[] = [];
  for (const qe of e.args.slice(2)) {
    const q = ev.scalar(qe);
    const value = formatOpenMetricsFloat(q[0]!);
    for (const s of histogramQuantile(q, input, ev.n)) out.push({ ...s, labels: setLabel(s.labels, label, value) });
  }
  return out;
}

/** A float as OpenMetrics writes label values (`0.5`, `1.0`, `+Inf`). */
function formatOpenMetricsFloat(v: number): string {
  if (Number.isInteger(v)) return `${v}.0`;
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

export function histogramQuantile(q: Float64Array, input: StepSeries[], n: number): StepSeries[] {
  const without = new Set([NAME, 'le']);
  const groups = new Map<string, { labels: Label[]; members: { le: number; s: StepSeries }[] }>();
  for (const s of input) {
    const leText = getLabel(s.labels, 'le');
    const le = leText === '' ? Number.NaN : parseLe(leText);
    if (Number.isNaN(le)) continue;
    const key = labelsKey(dropLabels(s.labels, without));
    let g = groups.get(key);
    if (!g) {
      g = { labels: dropLabels(s.labels, new Set(['le'])), members: [] };
      groups.set(key, g);
    }
    g.members.push({ le, s });
  }
  const c = new SeriesCollector(n);
  const buckets = { upper: [] as number[], count: [] as number[] };
  for (const g of groups.values()) {
    let out: StepSeries | undefined;
    for (let i = 0; i < n; i++) {
      buckets.upper.length = 0;
      buckets.count.length = 0;
      for (const m of g.members) {
        if (m.s.present[i] === 1) {
          buckets.upper.push(m.le);
          buckets.count.push(m.s.values[i]!);
        }
      }
      if (buckets.upper.length === 0) continue;
      out ??= c.get(g.labels, true);
      SeriesCollector.set(out, i, bucketQuantile(q[i]!, buckets));
    }
  }
  return c.series;
}

function parseLe(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '+inf' || t === 'inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  if (t === 'nan') return Number.NaN;
  const v = Number(text);
  return text.trim() === '' ? Number.NaN : v;
}
