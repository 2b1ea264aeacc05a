import type { Counter, Gauge, Histogram } from 'prom-client';
import { CounterSeries, GaugeSeries, HistogramSeries } from './series.js';

/** Label values of one series, keyed by label name. */
export type Labels<L extends string> = Partial<Record<L, string | number>>;

/** What a bounded metric reports to its owner: a write dropped by the limit, or rejected as invalid. */
export interface SeriesEvents {
  /** A new label set was refused because the metric already has `limit` of them. */
  dropped(metric: string, limit: number): void;
  /** A write was invalid (unknown label, NaN value, negative counter increment...). */
  rejected(metric: string, reason: string): void;
}

/** What `admit` decided: a known label set, a new one (write, then `add` it), or one to drop. */
const Verdict = { Known: 0, New: 1, Drop: 2 } as const;
type Verdict = (typeof Verdict)[keyof typeof Verdict];

type Trie = Map<string, Trie | true>;

/**
 * Remembers the label sets a metric has and refuses new ones past `limit`. A label set is
 * looked up value by value, in declared label order, in a tree of Maps. Label values are
 * mostly the same few strings (route templates, methods, prebuilt status codes) whose hashes
 * V8 keeps, so the common case, a known label set, costs one Map lookup per label and builds
 * no key string: measured, a third of the cost of joining the values into one key.
 */
class SeriesLimit {
  readonly #names: readonly string[];
  readonly #limit: number;
  #root: Trie = new Map();
  #size = 0;

  constructor(names: readonly string[], limit: number) {
    this.#names = names;
    this.#limit = limit;
  }

  admit(labels: Record<string, unknown>): Verdict {
    const names = this.#names;
    const last = names.length - 1;
    if (last < 0) return Verdict.Known;
    let node = this.#root;
    for (let i = 0; i < last; i++) {
      const next = node.get(asLabel(labels[names[i]!]));
      if (next === undefined || next === true) return this.#miss();
      node = next;
    }
    return node.get(asLabel(labels[names[last]!])) === true ? Verdict.Known : this.#miss();
  }

  /** Remembers a label set `admit` found new, once its write succeeded. */
  add(labels: Record<string, unknown>): void {
    const names = this.#names;
    const last = names.length - 1;
    let node = this.#root;
    for (let i = 0; i < last; i++) {
      const key = asLabel(labels[names[i]!]);
      let next = node.get(key);
      if (next === undefined || next === true) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    const key = asLabel(labels[names[last]!]);
    if (node.get(key) !== true) {
      node.set(key, true);
      this.#size++;
    }
  }

  #miss(): Verdict {
    return this.#size < this.#limit ? Verdict.New : Verdict.Drop;
  }

  clear(): void {
    this.#root = new Map();
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }
}

/** A label value as prom-client writes it: `200` and `'200'` are one series. */
function asLabel(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

type Write<L extends string> = (labels: Labels<L>, value: number) => void;
type PromMetric<L extends string> = Counter<L> | Gauge<L> | Histogram<L>;

const NO_LABELS: Labels<never> = Object.freeze({});

/** The shared part of Vigil's metrics: a prom-client metric behind a label-set limit that never throws. */
abstract class BoundedMetric<L extends string, M extends PromMetric<L>> {
  /** The prom-client metric underneath; writing to it directly bypasses the limit. */
  readonly metric: M;
  /** The metric's name as exposed. */
  readonly name: string;
  /** The label names in sorted order, as series are keyed. */
  protected readonly sortedNames: readonly string[];
  readonly #limit: SeriesLimit;
  readonly #maxSeries: number;
  readonly #events: SeriesEvents;

  constructor(metric: M, name: string, labelNames: readonly string[], maxSeries: number, events: SeriesEvents) {
    this.metric = metric;
    this.name = name;
    this.sortedNames = [...labelNames].sort();
    this.#limit = new SeriesLimit(labelNames, maxSeries);
    this.#maxSeries = maxSeries;
    this.#events = events;
  }

  /** How many label sets this metric holds. */
  get seriesCount(): number {
    return this.#limit.size;
  }

  /** Counts and logs a write that the caller refused as invalid. */
  rejectSample(reason: string): void {
    this.#events.rejected(this.name, reason);
  }

  /** Forgets every series (values and label sets). */
  reset(): void {
    this.metric.reset();
    this.#limit.clear();
  }

  protected write(apply: Write<L>, labels: Labels<L>, value: number): void {
    // prom-client lets NaN through `inc`/`set`, and a NaN counter stays NaN for good.
    if (!Number.isFinite(value)) {
      this.rejectSample(`value is not a finite number: ${value}`);
      return;
    }
    labels ??= NO_LABELS; // a null from an untyped caller means no labels
    const verdict = this.#limit.admit(labels);
    if (verdict === Verdict.Drop) {
      this.#events.dropped(this.name, this.#maxSeries);
      return;
    }
    try {
      apply(labels, value);
    } catch (error) {
      this.rejectSample(error instanceof Error ? error.message : String(error));
      return;
    }
    if (verdict === Verdict.New) this.#limit.add(labels);
  }
}

/** A counter with a label-set limit: `inc({ tool: 'search' })`, `inc({ tool: 'search' }, 2)`. */
export class BoundedCounter<L extends string = never> extends BoundedMetric<L, Counter<L>> {
  readonly #inc: Write<L> = (labels, value) => this.metric.inc(labels, value);

  /** Adds `value` (default 1) to the series of `labels`. */
  inc(labels: Labels<L> = NO_LABELS, value = 1): void {
    this.write(this.#inc, labels, value);
  }

  /** The series of `labels` as a handle for a hot path: `series(labels).inc()` costs less than `inc(labels)`. */
  series(labels: Labels<L> = NO_LABELS): CounterSeries {
    return new CounterSeries(this.metric, this.sortedNames, labels, (l, v) => this.inc(l as Labels<L>, v));
  }
}

/** A gauge with a label-set limit. */
export class BoundedGauge<L extends string = never> extends BoundedMetric<L, Gauge<L>> {
  readonly #set: Write<L> = (labels, value) => this.metric.set(labels, value);
  readonly #inc: Write<L> = (labels, value) => this.metric.inc(labels, value);

  /** Sets the series of `labels` to `value`. */
  set(labels: Labels<L>, value: number): void {
    this.write(this.#set, labels, value);
  }

  /** Adds `value` (default 1). */
  inc(labels: Labels<L> = NO_LABELS, value = 1): void {
    this.write(this.#inc, labels, value);
  }

  /** Subtracts `value` (default 1). */
  dec(labels: Labels<L> = NO_LABELS, value = 1): void {
    this.write(this.#inc, labels, -value);
  }

  /** The series of `labels` as a handle for a hot path (see `BoundedCounter.series`). */
  series(labels: Labels<L> = NO_LABELS): GaugeSeries {
    return new GaugeSeries(
      this.metric,
      this.sortedNames,
      labels,
      (l, v) => this.set(l as Labels<L>, v),
      (l, v) => this.inc(l as Labels<L>, v),
    );
  }
}

/** A histogram with a label-set limit. */
export class BoundedHistogram<L extends string = never> extends BoundedMetric<L, Histogram<L>> {
  readonly #observe: Write<L> = (labels, value) => this.metric.observe(labels, value);
  /** The upper bounds as given, and as prom-client keys its bucket counts. */
  readonly #buckets: { bounds: readonly number[]; keys: readonly string[] };

  constructor(
    metric: Histogram<L>,
    name: string,
    labelNames: readonly string[],
    buckets: readonly number[],
    maxSeries: number,
    events: SeriesEvents,
  ) {
    super(metric, name, labelNames, maxSeries, events);
    this.#buckets = { bounds: [...buckets], keys: buckets.map(String) };
  }

  /** Records one observation in the series of `labels`. */
  observe(labels: Labels<L>, value: number): void {
    this.write(this.#observe, labels, value);
  }

  /** The series of `labels` as a handle for a hot path (see `BoundedCounter.series`). */
  series(labels: Labels<L>): HistogramSeries {
    return new HistogramSeries(this.metric, this.sortedNames, labels, this.#buckets, (l, v) =>
      this.observe(l as Labels<L>, v),
    );
  }
}
