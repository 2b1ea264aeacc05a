import { type HistogramCell, layoutKnown, seriesKey, storedCell, type ValueCell } from './prom-storage.js';

/** A write through the metric's own method: the label-set limit, validation, prom-client. */
type Write = (labels: Record<string, unknown>, value: number) => void;

/**
 * One label set of a metric, resolved once for a hot path that writes it again and again.
 * A handle holds no value itself: the first write (and any write prom-client has no series
 * for, e.g. after a reset) goes through the metric's own method — the label-set limit,
 * validation, counting what is dropped — and later writes add to the stored series directly.
 * Making a handle creates no series.
 */
abstract class SeriesHandle {
  protected readonly metric: object;
  protected readonly labels: Record<string, unknown>;
  protected readonly key: string | undefined;

  constructor(metric: object, sortedNames: readonly string[], labels: Record<string, unknown> | null | undefined) {
    this.metric = metric;
    this.labels = labels ?? {};
    // A label the metric does not have: every write goes the checked way, which refuses it.
    const known = Object.keys(this.labels).every((name) => sortedNames.includes(name));
    this.key = known && layoutKnown() ? seriesKey(sortedNames, this.labels) : undefined;
  }
}

/** A counter series: `inc(value = 1)`. */
export class CounterSeries extends SeriesHandle {
  readonly #write: Write;

  constructor(metric: object, sortedNames: readonly string[], labels: Record<string, unknown>, write: Write) {
    super(metric, sortedNames, labels);
    this.#write = write;
  }

  /** Adds `value` (default 1). */
  inc(value = 1): void {
    const cell = this.key === undefined ? undefined : storedCell<ValueCell>(this.metric, this.key);
    // A finite value >= 0; anything else goes the checked way and is refused there.
    if (cell !== undefined && value >= 0 && value - value === 0) cell.value += value;
    else this.#write(this.labels, value);
  }
}

/** A gauge series: `set`, `inc`, `dec`. */
export class GaugeSeries extends SeriesHandle {
  readonly #set: Write;
  readonly #inc: Write;

  constructor(metric: object, sortedNames: readonly string[], labels: Record<string, unknown>, set: Write, inc: Write) {
    super(metric, sortedNames, labels);
    this.#set = set;
    this.#inc = inc;
  }

  /** Sets the series to `value`. */
  set(value: number): void {
    const cell = this.#cell(value);
    if (cell !== undefined) cell.value = value;
    else this.#set(this.labels, value);
  }

  /** Adds `value` (default 1). */
  inc(value = 1): void {
    const cell = this.#cell(value);
    if (cell !== undefined) cell.value += value;
    else this.#inc(this.labels, value);
  }

  /** Subtracts `value` (default 1). */
  dec(value = 1): void {
    this.inc(-value);
  }

  #cell(value: number): ValueCell | undefined {
    return this.key !== undefined && value - value === 0 ? storedCell<ValueCell>(this.metric, this.key) : undefined;
  }
}

/** A histogram series: `observe(value)`. */
export class HistogramSeries extends SeriesHandle {
  readonly #write: Write;
  readonly #bounds: readonly number[];
  readonly #bucketKeys: readonly string[];

  constructor(
    metric: object,
    sortedNames: readonly string[],
    labels: Record<string, unknown>,
    buckets: { bounds: readonly number[]; keys: readonly string[] },
    write: Write,
  ) {
    super(metric, sortedNames, labels);
    this.#write = write;
    this.#bounds = buckets.bounds;
    this.#bucketKeys = buckets.keys;
  }

  /** Records one observation. */
  observe(value: number): void {
    const cell: HistogramCell | undefined =
      this.key !== undefined && value - value === 0 ? storedCell<HistogramCell>(this.metric, this.key) : undefined;
    if (cell === undefined) {
      this.#write(this.labels, value);
      return;
    }
    cell.sum += value;
    cell.count += 1;
    // As prom-client: the first bound >= value; above the last one only sum and count move (+Inf).
    const bounds = this.#bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        cell.bucketValues[this.#bucketKeys[i]!]! += 1;
        return;
      }
    }
  }
}
