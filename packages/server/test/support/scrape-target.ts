import type { Label } from '@vigil/tsdb';
import { NO_LIMITS, type ScrapeTarget } from '../../src/scrape/target.js';

/** A target for `url` in job `job`, with Prometheus's defaults; `overrides` change any field. */
export function targetFor(url: string, overrides: Partial<ScrapeTarget> = {}): ScrapeTarget {
  const instance = new URL(url).host;
  const labels: Label[] = [
    { name: 'instance', value: instance },
    { name: 'job', value: 'test' },
  ];
  return {
    key: `test/${url}`,
    job: 'test',
    url,
    labels,
    discoveredLabels: { __address__: instance, job: 'test' },
    intervalMs: 15_000,
    timeoutMs: 2_000,
    honorLabels: false,
    honorTimestamps: true,
    limits: { ...NO_LIMITS },
    ...overrides,
  };
}
