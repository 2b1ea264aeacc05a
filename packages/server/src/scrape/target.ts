import type { Label, MetricType } from '@vigil/tsdb';
import type { ScrapeTls } from './fetch-exposition.js';

/** Per-scrape limits, under Prometheus's names; 0 means no limit. */
export interface ScrapeLimits {
  /** sample_limit: samples left after metric relabeling. */
  sampleLimit: number;
  /** label_limit: labels of a sample after relabeling, `__name__` included. */
  labelLimit: number;
  /** label_name_length_limit (bytes). */
  labelNameLengthLimit: number;
  /** label_value_length_limit (bytes). */
  labelValueLengthLimit: number;
  /** body_size_limit (bytes, after gzip). */
  bodySizeLimit: number;
}

/** One endpoint to scrape, with everything the loop needs already resolved from the config. */
export interface ScrapeTarget {
  /** Unique among running loops: two targets with the same key are the same loop. */
  key: string;
  job: string;
  url: string;
  /** The target's labels after relabeling (job and instance included), sorted by name. */
  labels: readonly Label[];
  /** The labels before relabeling, for /api/v1/targets. */
  discoveredLabels: Readonly<Record<string, string>>;
  intervalMs: number;
  timeoutMs: number;
  honorLabels: boolean;
  honorTimestamps: boolean;
  limits: ScrapeLimits;
  /** Follow HTTP redirects (follow_redirects, default true). */
  followRedirects?: boolean;
  /** Ask for gzip (enable_compression, default true). */
  gzip?: boolean;
  /** Authorization and other headers every request carries. */
  headers?: Record<string, string>;
  tls?: ScrapeTls;
  /** metric_relabel_configs as a function: the sample's labels, or undefined to drop it. */
  metricRelabel?: (labels: Label[]) => Label[] | undefined;
}

/** Metadata a scrape declared for a metric family. */
export interface FamilyInfo {
  type: MetricType;
  help: string;
  unit: string;
}

/** Where scraped samples go: the embedded TSDB, or anything that takes samples by series ref. */
export interface SampleSink {
  /** The ref of a series (labels sorted by name, no empty values), created when new. */
  ref(labels: readonly Label[]): number;
  /** Appends one sample; answers 'ok' or why the sample was rejected (out_of_order, duplicate, ...). */
  append(ref: number, t: number, v: number): string;
  /** Records a family's metadata (type, help, unit). */
  setMetadata(metric: string, info: FamilyInfo): void;
}

/** A target's state as /api/v1/targets reports it. */
export interface TargetHealth {
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  /** ms since the epoch of the last scrape's start; 0 before the first. */
  lastScrape: number;
  lastScrapeDurationMs: number;
}

export const NO_LIMITS: ScrapeLimits = {
  sampleLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
  bodySizeLimit: 0,
};
