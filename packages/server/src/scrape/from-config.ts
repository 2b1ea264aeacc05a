import type { Label } from '@vigil/tsdb';
import { authorizationHeader, tlsMaterial } from '../config/http-credentials.js';
import { relabel } from '../discovery/relabel.js';
import type { Target } from '../discovery/target.js';
import type { ScrapeTarget } from './target.js';

/**
 * The scrape loop's view of a discovered target: limits, honor_* flags and metric relabeling
 * from its job, the Authorization header and TLS material read from their files. A file that
 * cannot be read is a VIGIL_BAD_CONFIG error naming it.
 */
export function scrapeTargetOf(target: Target): ScrapeTarget {
  const config = target.config;
  const rules = config.metricRelabelConfigs;
  const owner = `scrape job ${target.job}`;
  const headers = authorizationHeader(config.http, owner);
  const tls = tlsMaterial(config.http, owner);
  return {
    key: `${target.job}\u0000${target.key}`,
    job: target.job,
    url: target.url,
    labels: target.labels,
    discoveredLabels: Object.fromEntries(target.discoveredLabels.map((l) => [l.name, l.value])),
    intervalMs: target.scrapeInterval,
    timeoutMs: target.scrapeTimeout,
    honorLabels: config.honorLabels,
    honorTimestamps: config.honorTimestamps,
    limits: {
      sampleLimit: config.sampleLimit,
      labelLimit: config.labelLimit,
      labelNameLengthLimit: config.labelNameLengthLimit,
      labelValueLengthLimit: config.labelValueLengthLimit,
      bodySizeLimit: config.bodySizeLimit,
    },
    followRedirects: config.http.followRedirects,
    gzip: config.enableCompression,
    ...(headers.authorization ? { headers } : {}),
    ...(tls ? { tls } : {}),
    ...(rules.length > 0 ? { metricRelabel: (labels: Label[]) => relabel(labels, rules) } : {}),
  };
}
