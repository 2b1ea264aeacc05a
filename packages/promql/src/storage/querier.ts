// The storage the engine reads: the one interface between PromQL and any store (the embedded TSDB, a test
// double, a remote Prometheus). Timestamps are milliseconds since the epoch; values are float64.

/** A label: name and value. Series labels are sorted by name and never hold an empty value. */
export interface Label {
  name: string;
  value: string;
}

/** A label matcher as PromQL writes it. Regexes are fully anchored RE2 (`=~"a.*"` means `^(?:a.*)$`). */
export interface Matcher {
  type: '=' | '!=' | '=~' | '!~';
  name: string;
  value: string;
}

/**
 * Samples of one series in ascending time order. Read `t` and `v` after `next()` returned true.
 * A stale marker is the NaN with bit pattern 0x7ff0000000000002 (Prometheus's StaleNaN).
 */
export interface SampleIterator {
  next(): boolean;
  readonly t: number;
  readonly v: number;
}

/** One series a select found. */
export interface SelectedSeries {
  /** Sorted by name, `__name__` included. */
  readonly labels: readonly Label[];
  /** A fresh iterator over the series' samples within the select's [mint, maxt] (it may start a little earlier). */
  samples(): SampleIterator;
}

/** Metric metadata as the exposition declared it. */
export interface MetricMetadata {
  type: 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';
  help: string;
  unit: string;
}

/** What the engine needs from a store. */
export interface Querier {
  /** Series matching every matcher that have samples in [mint, maxt] (inclusive, ms). */
  select(matchers: readonly Matcher[], mint: number, maxt: number): Iterable<SelectedSeries>;
  /** Label names of the series matching `matchers` (all series when empty), sorted. */
  labelNames(matchers?: readonly Matcher[]): string[];
  /** Values of label `name` among the series matching `matchers`, sorted. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
  /** Metadata by metric name (all metrics when `metric` is omitted). */
  metadata(metric?: string): Map<string, MetricMetadata[]>;
}
