import { formatDuration } from '../config/units.js';
import type { ScrapeLoop } from '../scrape/scrape-loop.js';
import { ApiError } from './envelope.js';

/** A target that relabeling dropped, as discovery reports it. */
export interface DroppedTarget {
  job: string;
  discoveredLabels: Readonly<Record<string, string>>;
}

/** Query parameters of GET /api/v1/targets. */
export interface TargetsQuery {
  state?: string | undefined;
  scrapePool?: string | undefined;
}

/** The body of GET /api/v1/targets in Prometheus's shape (`data.activeTargets`, `data.droppedTargets`). */
export function targetsData(loops: readonly ScrapeLoop[], dropped: readonly DroppedTarget[], query: TargetsQuery) {
  const state = (query.state ?? 'any').toLowerCase();
  if (state !== 'any' && state !== 'active' && state !== 'dropped') {
    throw new ApiError('bad_data', `state must be active, dropped or any, got "${query.state}"`);
  }
  const pool = query.scrapePool;
  const inPool = (job: string) => pool === undefined || pool === '' || job === pool;
  const activeTargets =
    state === 'dropped'
      ? []
      : loops
          .filter((loop) => inPool(loop.target.job))
          .map((loop) => {
            const { target, health } = loop;
            return {
              discoveredLabels: { ...target.discoveredLabels },
              labels: Object.fromEntries(target.labels.map((l) => [l.name, l.value])),
              scrapePool: target.job,
              scrapeUrl: target.url,
              globalUrl: target.url,
              lastError: health.lastError,
              lastScrape: health.lastScrape === 0 ? '0001-01-01T00:00:00Z' : new Date(health.lastScrape).toISOString(),
              lastScrapeDuration: health.lastScrapeDurationMs / 1000,
              health: health.health,
              scrapeInterval: formatDuration(target.intervalMs),
              scrapeTimeout: formatDuration(target.timeoutMs),
            };
          });
  const droppedTargets =
    state === 'active'
      ? []
      : dropped.filter((d) => inPool(d.job)).map((d) => ({ discoveredLabels: { ...d.discoveredLabels } }));
  const droppedTargetCounts: Record<string, number> = {};
  for (const d of dropped) droppedTargetCounts[d.job] = (droppedTargetCounts[d.job] ?? 0) + 1;
  return { activeTargets, droppedTargets, droppedTargetCounts };
}
