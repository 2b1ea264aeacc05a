import { ExpositionParser, formatFromContentType, type Label, STALE_NAN, TsdbError } from '@vigil/tsdb';
import { type ExpositionResponse, fetchExposition, ScrapeFailure } from './fetch-exposition.js';
import { type ReportValues, ScrapeReport } from './report.js';
import { LabelLimitExceeded, sampleLabels } from './sample-labels.js';
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

// A scraped series as the cache knows it: its stored labels, and its ref once it was appended.
interface CacheEntry {
  labels: Label[] | undefined;
  ref: number;
  seen: number;
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
  private readonly cache = new Map<string, CacheEntry>();
  private readonly report: ScrapeReport;
  private readonly metadataSeen = new Map<string, string>();
  /** Refs of the last successful scrape whose samples had no explicit timestamp. */
  private previous = new Set<number>();
  private iteration = 0;
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
    this.markStale(this.previous, t);
    this.previous = new Set();
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
    const iteration = ++this.iteration;
    const target = this.target;
    const parser = new ExpositionParser(response.body, { format: formatFromContentType(response.contentType) });
    const entries: CacheEntry[] = [];
    const times: (number | undefined)[] = [];
    const values: number[] = [];
    const families: FamilyInfo[] = [];
    const familyNames: string[] = [];
    const limit = target.limits.sampleLimit;
    for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
      if (kind === 'family') {
        const m = parser.metadata!;
        familyNames.push(m.name);
        families.push({ type: m.type === 'untyped' ? 'unknown' : m.type, help: m.help ?? '', unit: m.unit ?? '' });
        continue;
      }
      const key = parser.series;
      let entry = this.cache.get(key);
      if (entry === undefined) {
        entry = { labels: sampleLabels(target, parser.name, parser.labels()), ref: -1, seen: 0 };
        this.cache.set(key, entry);
      }
      entry.seen = iteration;
      if (entry.labels === undefined) continue;
      entries.push(entry);
      times.push(target.honorTimestamps ? parser.timestampMs : undefined);
      values.push(parser.value);
      if (limit > 0 && entries.length > limit) {
        throw new ScrapeFailure(`sample_limit exceeded: more than ${limit} samples after metric relabeling`);
      }
    }
    return this.commit(startMs, parser.samples, entries, times, values, familyNames, families);
  }

  private commit(
    startMs: number,
    samplesScraped: number,
    entries: CacheEntry[],
    times: (number | undefined)[],
    values: number[],
    familyNames: string[],
    families: FamilyInfo[],
  ): ScrapeOutcome {
    const current = new Set<number>();
    const rejected: Record<string, number> = {};
    let seriesAdded = 0;
    let stored = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.ref < 0) {
        entry.ref = this.sink.ref(entry.labels!);
        seriesAdded++;
      }
      const explicit = times[i];
      let result = this.sink.append(entry.ref, explicit ?? startMs, values[i]!);
      if (result === 'unknown_series') {
        // Retention dropped the series since it was cached: resolve it again.
        entry.ref = this.sink.ref(entry.labels!);
        result = this.sink.append(entry.ref, explicit ?? startMs, values[i]!);
      }
      if (result === 'ok') stored++;
      else rejected[result] = (rejected[result] ?? 0) + 1;
      // Samples with their own timestamps are not tracked for staleness (as in Prometheus).
      if (explicit === undefined) current.add(entry.ref);
    }
    let staleMarkers = 0;
    for (const ref of this.previous) if (!current.has(ref)) staleMarkers += this.appendStale(ref, startMs);
    this.previous = current;
    this.sweepCache();
    for (let i = 0; i < familyNames.length; i++) this.recordMetadata(familyNames[i]!, families[i]!);
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
    const staleMarkers = this.markStale(this.previous, startMs);
    this.previous = new Set();
    return {
      up: false,
      error: reasonOf(error),
      durationMs: this.now() - startMs,
      samplesScraped: 0,
      samplesStored: 0,
      seriesAdded: 0,
      rejected: {},
      staleMarkers,
    };
  }

  private markStale(refs: Iterable<number>, t: number): number {
    let written = 0;
    for (const ref of refs) written += this.appendStale(ref, t);
    return written;
  }

  private appendStale(ref: number, t: number): number {
    return this.sink.append(ref, t, STALE_NAN) === 'ok' ? 1 : 0;
  }

  // Forget raw series texts that were not in the latest scrape, so the cache follows the target.
  private sweepCache(): void {
    for (const [key, entry] of this.cache) if (entry.seen !== this.iteration) this.cache.delete(key);
  }

  private recordMetadata(name: string, info: FamilyInfo): void {
    const fingerprint = `${info.type}\u0000${info.help}\u0000${info.unit}`;
    if (this.metadataSeen.get(name) === fingerprint) return;
    this.metadataSeen.set(name, fingerprint);
    this.sink.setMetadata(name, info);
  }
}

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
