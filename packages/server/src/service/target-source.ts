import type { DroppedTarget as ApiDroppedTarget } from '../api/targets.js';
import type { TargetDiscovery } from '../discovery/index.js';
import { scrapeTargetOf } from '../scrape/from-config.js';
import type { ScrapeTarget } from '../scrape/target.js';
import type { TargetSource } from './service.js';

/**
 * Discovery as the service's target source. A target whose credential or TLS file cannot be
 * read is left out and reported to `onProblem` (the others still run).
 */
export function discoveryTargets(discovery: TargetDiscovery, onProblem: (error: Error) => void): TargetSource {
  return {
    start: () => discovery.start(),
    stop: () => discovery.stop(),
    current() {
      const targets: ScrapeTarget[] = [];
      for (const target of discovery.targets()) {
        try {
          targets.push(scrapeTargetOf(target));
        } catch (error) {
          onProblem(error as Error);
        }
      }
      const dropped: ApiDroppedTarget[] = discovery.dropped().map((d) => ({
        job: d.job,
        discoveredLabels: Object.fromEntries(d.discoveredLabels.map((l) => [l.name, l.value])),
      }));
      return { targets, dropped };
    },
    onChange(listener) {
      discovery.on('change', () => listener());
    },
  };
}
