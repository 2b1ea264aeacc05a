import type { Metrics } from '@vigil/sdk/metrics';
import type { ScrapeOutcome } from '../scrape/scrape-loop.js';
import type { ScrapeTarget } from '../scrape/target.js';

/** The service's own metrics about scraping, next to the SDK's process and HTTP families. */
export class ScrapeMetrics {
  private readonly scrapes;
  private readonly duration;
  private readonly rejected;
  private readonly stale;

  constructor(metrics: Metrics) {
    this.scrapes = metrics.counter({
      name: 'vigil_target_scrapes_total',
      help: 'Scrapes by scrape job and result (success, failure).',
      labelNames: ['scrape_job', 'result'],
    });
    this.duration = metrics.histogram({
      name: 'vigil_target_scrape_duration_seconds',
      help: 'How long scrapes took, by scrape job.',
      labelNames: ['scrape_job'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.rejected = metrics.counter({
      name: 'vigil_scrape_samples_rejected_total',
      help: 'Scraped samples the store refused, by reason (out_of_order, duplicate, ...).',
      labelNames: ['reason'],
    });
    this.stale = metrics.counter({
      name: 'vigil_scrape_stale_markers_total',
      help: 'Staleness markers written for series that disappeared or targets that went down.',
    });
  }

  /** Counts one finished scrape. */
  observe(target: ScrapeTarget, outcome: ScrapeOutcome): void {
    this.scrapes.inc({ scrape_job: target.job, result: outcome.up ? 'success' : 'failure' });
    this.duration.observe({ scrape_job: target.job }, outcome.durationMs / 1000);
    for (const [reason, count] of Object.entries(outcome.rejected)) this.rejected.inc({ reason }, count);
    if (outcome.staleMarkers > 0) this.stale.inc({}, outcome.staleMarkers);
  }
}
