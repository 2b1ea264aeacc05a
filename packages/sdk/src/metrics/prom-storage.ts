import { Counter, Gauge, Histogram } from 'prom-client';

/**
 * Where prom-client 15 keeps a metric's series: `metric.hashMap[key]`, the key being
 * `name:value,` for each label in sorted name order. A counter's or gauge's cell is
 * `{ value, labels }`; a histogram's is `{ labels, sum, count, bucketValues }` with one count
 * per upper bound, keyed by the bound.
 *
 * prom-client finds the cell of a write by building that key from the labels object each time
 * (about a third of a microsecond per write). A series handle builds it once, and then adds
 * to the cell directly. Everything that depends on this layout is in this file, and it is
 * checked once per process on throwaway metrics: if a prom-client release lays its series
 * out differently, `layoutKnown()` is false and handles write through prom-client's public
 * methods, slower but the same.
 */

/** A counter's or gauge's stored series. */
export interface ValueCell {
  value: number;
}

/** A histogram's stored series. */
export interface HistogramCell {
  sum: number;
  count: number;
  bucketValues: Record<string, number>;
}

interface Stored {
  hashMap?: Record<string, unknown>;
}

/** The key prom-client stores the series of `labels` under (labels it has no value for are left out, as it does). */
export function seriesKey(sortedNames: readonly string[], labels: Record<string, unknown>): string {
  let key = '';
  for (const name of sortedNames) {
    const value = labels[name];
    if (value !== undefined) key += `${name}:${value},`;
  }
  return key;
}

/** The stored cell of a series, when it exists: a ValueCell for a counter or gauge, a HistogramCell for a histogram. */
export function storedCell<C extends ValueCell | HistogramCell>(metric: object, key: string): C | undefined {
  return (metric as Stored).hashMap?.[key] as C | undefined;
}

let known: boolean | undefined;

/** True when this prom-client stores series as described above (checked once, on metrics no registry holds). */
export function layoutKnown(): boolean {
  known ??= probe();
  return known;
}

function probe(): boolean {
  try {
    const labels = { b: 'x', a: '1' };
    const key = seriesKey(['a', 'b'], labels);
    const counter = new Counter({ name: 'probe_total', help: 'probe', labelNames: ['b', 'a'], registers: [] });
    counter.inc(labels, 2);
    const gauge = new Gauge({ name: 'probe', help: 'probe', labelNames: ['b', 'a'], registers: [] });
    gauge.set(labels, 3);
    const histogram = new Histogram({
      name: 'probe_seconds',
      help: 'probe',
      labelNames: ['b', 'a'],
      buckets: [1, 2.5],
      registers: [],
    });
    histogram.observe(labels, 2);
    const cell = storedCell<HistogramCell>(histogram, key);
    return (
      storedCell<ValueCell>(counter, key)?.value === 2 &&
      storedCell<ValueCell>(gauge, key)?.value === 3 &&
      cell?.sum === 2 &&
      cell.count === 1 &&
      cell.bucketValues[String(2.5)] === 1 &&
      cell.bucketValues[String(1)] === 0
    );
  } catch {
    return false;
  }
}
