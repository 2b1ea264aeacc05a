// An in-memory Querier: series with samples in arrays. For tests, examples and small embedded uses.
import { compileRe2 } from '@vigil/re2';
import { compareLabels } from '../eval/labels.js';
import type { Label, Matcher, MetricMetadata, Querier, SampleIterator, SelectedSeries } from './querier.js';

// Values live in Float64Arrays: V8 canonicalizes NaN stored in plain number arrays, which would turn a stale
// marker (a NaN with a payload) into an ordinary NaN.
interface StoredSeries {
  labels: Label[];
  ts: Float64Array;
  vs: Float64Array;
  len: number;
}

/** A Querier over series held in memory. Samples must be appended in time order per series. */
export class MemoryQuerier implements Querier {
  private readonly series = new Map<string, StoredSeries>();
  private readonly meta = new Map<string, MetricMetadata[]>();
  /** Label objects already seen, so a caller reusing one skips sorting and keying it per sample. */
  private seen = new WeakMap<object, StoredSeries>();

  /** Adds one sample (ms, value); pass STALE_NAN itself (a NaN kept in a number[] loses its stale bits in V8). */
  add(labels: Record<string, string> | readonly Label[], t: number, v: number): void {
    let s = this.seen.get(labels);
    if (!s) {
      const ls = normalize(labels);
      const key = JSON.stringify(ls);
      s = this.series.get(key);
      if (!s) {
        s = { labels: ls, ts: new Float64Array(16), vs: new Float64Array(16), len: 0 };
        this.series.set(key, s);
      }
      this.seen.set(labels, s);
    }
    const last = s.len - 1;
    if (last >= 0 && s.ts[last]! >= t) {
      if (s.ts[last] === t) {
        s.vs[last] = v;
        return;
      }
      throw new RangeError(`out-of-order sample at ${t} for ${JSON.stringify(s.labels)}`);
    }
    if (s.len === s.ts.length) {
      const ts = new Float64Array(s.len * 2);
      ts.set(s.ts);
      const vs = new Float64Array(s.len * 2);
      vs.set(s.vs);
      s.ts = ts;
      s.vs = vs;
    }
    s.ts[s.len] = t;
    s.vs[s.len] = v;
    s.len++;
  }

  /** Sets the metadata of a metric. */
  setMetadata(metric: string, metadata: MetricMetadata): void {
    this.meta.set(metric, [metadata]);
  }

  /** Removes every series. */
  clear(): void {
    this.series.clear();
    this.seen = new WeakMap();
    this.meta.clear();
  }

  select(matchers: readonly Matcher[], mint: number, maxt: number): Iterable<SelectedSeries> {
    const out: SelectedSeries[] = [];
    const tests = matchers.map(matcherTest);
    for (const s of this.series.values()) {
      if (!tests.every((t) => t(s.labels))) continue;
      const lo = lowerBound(s.ts, s.len, mint);
      const hi = lowerBound(s.ts, s.len, maxt + 1);
      if (lo >= hi) continue;
      const { ts, vs } = s;
      out.push({ labels: s.labels, samples: () => new ArrayIterator(ts, vs, lo, hi) });
    }
    out.sort((a, b) => compareLabels(a.labels, b.labels));
    return out;
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    const names = new Set<string>();
    for (const s of this.matching(matchers)) for (const l of s.labels) names.add(l.name);
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const values = new Set<string>();
    for (const s of this.matching(matchers)) {
      const v = s.labels.find((l) => l.name === name)?.value;
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  metadata(metric?: string): Map<string, MetricMetadata[]> {
    if (metric === undefined) return new Map(this.meta);
    const m = this.meta.get(metric);
    return m ? new Map([[metric, m]]) : new Map();
  }

  private *matching(matchers: readonly Matcher[]): Iterable<StoredSeries> {
    const tests = matchers.map(matcherTest);
    for (const s of this.series.values()) if (tests.every((t) => t(s.labels))) yield s;
  }
}

class ArrayIterator implements SampleIterator {
  t = 0;
  v = 0;
  constructor(
    private readonly ts: Float64Array,
    private readonly vs: Float64Array,
    private i: number,
    private readonly end: number,
  ) {
    this.i--;
  }
  next(): boolean {
    if (++this.i >= this.end) return false;
    this.t = this.ts[this.i]!;
    this.v = this.vs[this.i]!;
    return true;
  }
}

function normalize(labels: Record<string, string> | readonly Label[]): Label[] {
  const list = Array.isArray(labels)
    ? (labels as Label[]).map((l) => ({ name: l.name, value: l.value }))
    : Object.entries(labels).map(([name, value]) => ({ name, value }));
  return list.filter((l) => l.value !== '').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function matcherTest(m: Matcher): (labels: readonly Label[]) => boolean {
  const get = (ls: readonly Label[]) => ls.find((l) => l.name === m.name)?.value ?? '';
  switch (m.type) {
    case '=':
      return (ls) => get(ls) === m.value;
    case '!=':
      return (ls) => get(ls) !== m.value;
    case '=~': {
      const re = compileRe2(m.value);
      return (ls) => re.test(get(ls));
    }
    case '!~': {
      const re = compileRe2(m.value);
      return (ls) => !re.test(get(ls));
    }
  }
}

function lowerBound(ts: Float64Array, len: number, t: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
