import { ExpositionParser, formatFromContentType, STALE_NAN, TsdbError } from '@vigil/tsdb';
import { type ExpositionResponse, fetchExposition, ScrapeFailure } from './fetch-exposition.js';
import { type ReportValues, ScrapeReport } from './report.js';
import { LabelLimitExceeded, sampleLabels } from './sample-labels.js';
import { type CacheEntry, ScrapeCache } from './scrape-cache.js';
import type { FamilyInfo, SampleSink, ScrapeTarget, TargetHealth } from './target.js';

/** What the loop depends on besides its target and sink; tests replace them. */
export interface ScrapeLoopOptions {
  now?: () => number;
  fetch?: (target: ScrapeTarget) => Promise<ExpositionResponse>;
  /** Told about every finished scrape (for metrics and logs). */
  onScrape?: (target: ScrapeTarget, outcome: ScrapeOutcome) => void;
}

/** The result of one scrape. */
export interface ScrapeOutcome {
  up: boolean;
  error: string;
  durationMs: number;
  samplesScraped: number;
  samplesStored: number;
  seriesAdded: number;
  /** Samples the store refused (out of order, duplicate timestamp), by reason. */
  rejected: Record<string, number>;
  /** Stale markers written for series that disappeared. */
  staleMarkers: number;
}

/**
 * Scrapes one target on its interval and appends what it read to the sink, as Prometheus's
 * scrape loop does: a scrape is all or nothing (a parse error or a broken limit stores none of
 * its samples), series that disappear get a staleness marker, a failed scrape marks every
 * series of the last good one stale, and `up` with the other scrape_* series is written for
 * each attempt.
 */
export class ScrapeLoop {
  readonly target: ScrapeTarget;
  private readonly sink: SampleSink;
  private readonly now: () => number;
  private readonly fetch: (target: ScrapeTarget) => Promise<ExpositionResponse>;
  private readonly onScrape: ((target: ScrapeTarget, outcome: ScrapeOutcome) => void) | undefined;
  private readonly cache = new ScrapeCache();
  private readonly report: ScrapeReport;
  private readonly metadataSeen = new Map<string, FamilyInfo>();
  /** Scrapes until metadata is read again. */
  private metadataIn = 0;
  // One scrape's accepted samples, reused from scrape to scrape; NaN in `times` means "no timestamp of its own".
  private samples: CacheEntry[] = [];
  private times = new Float64Array(1024);
  private values = new Float64Array(1024);
  private state: TargetHealth = { health: 'unknown', lastError: '', lastScrape: 0, lastScrapeDurationMs: 0 };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(target: ScrapeTarget, sink: SampleSink, options: ScrapeLoopOptions = {}) {
    this.target = target;
    this.sink = sink;
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? defaultFetch;
    this.onScrape = options.onScrape;
    this.report = new ScrapeReport(target.labels, sink);
  }

  /** The target's health for /api/v1/targets. */
  get health(): TargetHealth {
    return this.state;
  }

  /**
   * Starts scraping: the first scrape waits `offsetMs` (spread targets over the interval so they
   * do not all fire at once), then one every interval, aligned to the first.
   */
  start(offsetMs: number): void {
    const first = this.now() + offsetMs;
    const tick = (due: number) => {
      if (this.stopped) return;
      this.running = this.scrape(stampOf(due, this.now())).finally(() => {
        this.running = undefined;
      });
      const interval = this.target.intervalMs;
      let next = due + interval;
      const now = this.now();
      if (next <= now) next += Math.ceil((now - next + 1) / interval) * interval;
      this.timer = setTimeout(() => tick(next), next - now);
    };
    this.timer = setTimeout(() => tick(first), Math.max(0, first - this.now()));
  }

  /**
   * Stops the loop: waits for a scrape in flight, then marks every series of the last scrape
   * stale, as Prometheus does when a target goes away.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    const t = this.now();
    this.markStale(this.cache.reset(), t);
    this.report.markStale(t);
  }

  /** Runs one scrape that started at `startMs`; never throws (failures go to `up` and the health). */
  async scrape(startMs: number = this.now()): Promise<ScrapeOutcome> {
    let outcome: ScrapeOutcome;
    try {
      const response = await this.fetch(this.target);
      outcome = this.ingest(response, startMs);
    } catch (error) {
      outcome = this.failed(error, startMs);
    }
    const values: ReportValues = {
      up: outcome.up ? 1 : 0,
      durationSeconds: outcome.durationMs / 1000,
      samplesScraped: outcome.samplesScraped,
      samplesPostRelabeling: outcome.samplesStored,
      seriesAdded: outcome.seriesAdded,
    };
    this.report.write(startMs, values);
    this.state = {
      health: outcome.up ? 'up' : 'down',
      lastError: outcome.error,
      lastScrape: startMs,
      lastScrapeDurationMs: outcome.durationMs,
    };
    this.onScrape?.(this.target, outcome);
    return outcome;
  }

  // Parses the whole exposition first, then appends: nothing of a scrape that fails is stored.
  private ingest(response: ExpositionResponse, startMs: number): ScrapeOutcome {
    const target = this.target;
    const parser = new ExpositionParser(response.body, { format: formatFromContentType(response.contentType) });
    const cache = this.cache;
    const samples = this.samples;
    samples.length = 0;
    const families: [string, FamilyInfo][] = [];
    // Metadata rarely changes: it is read on the first scrape and then every METADATA_EVERY-th.
    const readMetadata = this.metadataIn-- <= 0;
    if (readMetadata) this.metadataIn = METADATA_EVERY - 1;
    const limit = target.limits.sampleLimit;
    const labelsOf = () => sampleLabels(target, parser.name, parser.labels());
    cache.begin();
    for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
      if (kind === 'family') {
        if (!readMetadata) continue;
        const m = parser.metadata!;
        families.push([
          m.name,
          { type: m.type === 'untyped' ? 'unknown' : m.type, help: m.help ?? '', unit: m.unit ?? '' },
        ]);
        continue;
      }
      const entry = cache.lookup(parser.series, labelsOf);
      if (entry.labels === undefined) continue;
      const n = samples.length;
      if (limit > 0 && n >= limit) {
        throw new ScrapeFailure(`sample_limit exceeded: more than ${limit} samples after metric relabeling`);
      }
      if (n === this.values.length) this.grow();
      samples.push(entry);
      const explicit = target.honorTimestamps ? parser.timestampMs : undefined;
      this.times[n] = explicit === undefined ? Number.NaN : explicit;
      this.values[n] = parser.value;
    }
    return this.commit(startMs, parser.samples, families);
  }

  private commit(startMs: number, samplesScraped: number, families: [string, FamilyInfo][]): ScrapeOutcome {
    const { samples, times, values, sink } = this;
    const rejected: Record<string, number> = {};
    let seriesAdded = 0;
    let stored = 0;
    for (let i = 0; i < samples.length; i++) {
      const entry = samples[i]!;
      if (entry.ref < 0) {
        entry.ref = sink.ref(entry.labels!);
        seriesAdded++;
      }
      const own = times[i]!;
      const t = Number.isNaN(own) ? startMs : own;
      let result = sink.append(entry.ref, t, values[i]!);
      if (result === 'unknown_series') {
        // Retention dropped the series since it was cached: resolve it again.
        entry.ref = sink.ref(entry.labels!);
        result = sink.append(entry.ref, t, values[i]!);
      }
      if (result === 'ok') stored++;
      else rejected[result] = (rejected[result] ?? 0) + 1;
      // Samples with their own timestamps are not tracked for staleness (as in Prometheus).
      entry.tracked = Number.isNaN(own);
    }
    const staleMarkers = this.markStale(this.cache.commit(), startMs);
    for (const [name, info] of families) this.recordMetadata(name, info);
    return {
      up: true,
      error: '',
      durationMs: this.now() - startMs,
      samplesScraped,
      samplesStored: stored,
      seriesAdded,
      rejected,
      staleMarkers,
    };
  }

  private failed(error: unknown, startMs: number): ScrapeOutcome {
    return {
      up: false,
      error: reasonOf(error),
      durationMs: this.now() - startMs,
      samplesScraped: 0,
      samplesStored: 0,
      seriesAdded: 0,
      rejected: {},
      staleMarkers: this.markStale(this.cache.reset(), startMs),
    };
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const values = new Float64Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }

  // Stale markers for the tracked series among `entries` (series that carried their own timestamps are not).
  private markStale(entries: readonly CacheEntry[], t: number): number {
    let written = 0;
    for (const entry of entries) {
      if (entry.tracked && entry.ref >= 0) written += this.sink.append(entry.ref, t, STALE_NAN) === 'ok' ? 1 : 0;
    }
    return written;
  }

  private recordMetadata(name: string, info: FamilyInfo): void {
    const known = this.metadataSeen.get(name);
    if (known !== undefined && known.type === info.type && known.help === info.help && known.unit === info.unit) return;
    this.metadataSeen.set(name, info);
    this.sink.setMetadata(name, info);
  }
}

/** Every how many scrapes a target's HELP, TYPE and UNIT are read again (the first scrape always reads them). */
export const METADATA_EVERY = 10;

/**
 * How far a timer may fire from its schedule and still stamp the scrape with the scheduled time.
 * Prometheus snaps within 2 ms; Node's timers run later than Go's under load, so the window is
 * wider. Exact 15 s steps keep timestamps' delta-of-delta at 0 — one bit per sample on disk.
 */
export const TIMESTAMP_TOLERANCE_MS = 25;

/** The scheduled time when the scrape starts within the tolerance of it, else the real time. */
export function stampOf(due: number, now: number): number {
  return Math.abs(now - due) <= TIMESTAMP_TOLERANCE_MS ? due : now;
}

function defaultFetch(target: ScrapeTarget): Promise<ExpositionResponse> {
  return fetchExposition({
    url: target.url,
    timeoutMs: target.timeoutMs,
    bodySizeLimit: target.limits.bodySizeLimit,
    ...(target.followRedirects === undefined ? {} : { followRedirects: target.followRedirects }),
    ...(target.gzip === undefined ? {} : { gzip: target.gzip }),
    ...(target.headers ? { headers: target.headers } : {}),
    ...(target.tls ? { tls: target.tls } : {}),
  });
}

/** The text /api/v1/targets shows for a failed scrape. */
function reasonOf(error: unknown): string {
  if (error instanceof ScrapeFailure || error instanceof LabelLimitExceeded) return error.message;
  if (error instanceof TsdbError) return `parse error: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
