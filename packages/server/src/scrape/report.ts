import { type Label, STALE_NAN } from '@vigil/tsdb';
import type { SampleSink } from './target.js';

/** The values Prometheus writes after each scrape of a target. */
export interface ReportValues {
  up: number;
  durationSeconds: number;
  samplesScraped: number;
  samplesPostRelabeling: number;
  seriesAdded: number;
}

const REPORT_SERIES: readonly [name: string, key: keyof ReportValues, help: string][] = [
  ['up', 'up', '1 if the last scrape of the target succeeded, 0 if it failed'],
  ['scrape_duration_seconds', 'durationSeconds', 'how long the last scrape of the target took'],
  ['scrape_samples_scraped', 'samplesScraped', 'samples the target exposed in the last scrape'],
  [
    'scrape_samples_post_metric_relabeling',
    'samplesPostRelabeling',
    'samples left after metric relabeling in the last scrape',
  ],
  ['scrape_series_added', 'seriesAdded', 'series the last scrape added that the previous one did not have'],
];

/** Writes `up` and the scrape_* series of one target, with the target's labels. */
export class ScrapeReport {
  private readonly sink: SampleSink;
  private readonly targetLabels: readonly Label[];
  private refs: number[] | undefined;

  constructor(targetLabels: readonly Label[], sink: SampleSink) {
    this.targetLabels = targetLabels;
    this.sink = sink;
  }

  write(t: number, values: ReportValues): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      const refs = this.resolve();
      let unknown = false;
      for (let i = 0; i < REPORT_SERIES.length; i++) {
        if (this.sink.append(refs[i]!, t, values[REPORT_SERIES[i]![1]]) === 'unknown_series') unknown = true;
      }
      // Retention dropped a report series (a target down for longer than the retention): resolve them again.
      if (!unknown) return;
      this.refs = undefined;
    }
  }

  /** Ends the report series when the target goes away. */
  markStale(t: number): void {
    if (this.refs === undefined) return;
    for (const ref of this.refs) this.sink.append(ref, t, STALE_NAN);
  }

  private resolve(): number[] {
    if (this.refs !== undefined) return this.refs;
    this.refs = REPORT_SERIES.map(([name, , help]) => {
      this.sink.setMetadata(name, { type: 'gauge', help, unit: '' });
      const labels = [{ name: '__name__', value: name }, ...this.targetLabels.filter((l) => l.name !== '__name__')];
      labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return this.sink.ref(labels);
    });
    return this.refs;
  }
}
