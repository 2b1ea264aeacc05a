/** The two text formats a scrape can answer with. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** A metric family's type as `# TYPE` declares it (`untyped` in Prometheus text, `unknown` in OpenMetrics). */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped'
  | 'unknown';

/** One label of a series or an exemplar, unescaped. */
export interface Label {
  name: string;
  value: string;
}

/** What `# HELP`, `# TYPE` and `# UNIT` lines said about one metric family. */
export interface FamilyMetadata {
  name: string;
  /** `untyped` (Prometheus text) or `unknown` (OpenMetrics) when no `# TYPE` line was given. */
  type: MetricType;
  /** The `# HELP` text, unescaped; undefined when the family has no HELP line. */
  help: string | undefined;
  /** The `# UNIT` (OpenMetrics only); undefined when the family has none. */
  unit: string | undefined;
}

/** An OpenMetrics exemplar attached to a sample (`# {trace_id="..."} 1.0 1234.5`). */
export interface Exemplar {
  labels: Label[];
  value: number;
  /** Milliseconds since the epoch (OpenMetrics writes seconds; they are converted). */
  timestampMs: number | undefined;
}

/** One sample line. */
export interface Sample {
  /** The metric name (the value of `__name__`). */
  name: string;
  /** The labels without `__name__`, sorted by name, unescaped. */
  labels: Label[];
  /**
   * The series as written (name and label block, raw): equal texts mean the same series, so a
   * scrape loop can key a cache on it and skip building labels. Not canonical: the same
   * series written with other label order or spacing gives another text.
   */
  series: string;
  value: number;
  /** Milliseconds since the epoch, when the line carried a timestamp. */
  timestampMs: number | undefined;
  exemplar: Exemplar | undefined;
  /** The family this sample belongs to (by name and the type's suffixes), if one was declared. */
  family: FamilyMetadata | undefined;
  /** True for the `<name>_created` sample of a counter, histogram, summary or gaugehistogram family. */
  created: boolean;
}

/** What the parser yields, in input order: a family's metadata before its samples. */
export type ExpositionEntry = { kind: 'family'; family: FamilyMetadata } | { kind: 'sample'; sample: Sample };

/** Scrape limits, named after Prometheus's scrape config; 0 or undefined means no limit. */
export interface ExpositionLimits {
  /** `sample_limit`: most samples in one exposition. */
  sampleLimit?: number;
  /** `label_limit`: most labels of one series, `__name__` included (as Prometheus counts). */
  labelLimit?: number;
  /** `label_name_length_limit`: longest label name, in UTF-8 bytes. */
  labelNameLengthLimit?: number;
  /** `label_value_length_limit`: longest label value (the metric name included), in UTF-8 bytes. */
  labelValueLengthLimit?: number;
}

/** How to parse one exposition. */
export interface ExpositionParseOptions extends ExpositionLimits {
  /** Which grammar applies; `formatFromContentType()` picks it from a scrape's Content-Type. */
  format: ExpositionFormat;
  /** Leave out the `_created` samples of counters, histograms, summaries and gaugehistograms. Default false. */
  skipCreatedSeries?: boolean;
}
