// What a target's state means for the traffic light.
import type { ActiveTarget } from '../../api/prometheus.js';

/** green, yellow, red (or grey when never scraped). */
export type Level = 'ok' | 'warn' | 'bad' | 'unknown';

/** Seconds of a Prometheus duration such as `15s`, `1m30s` (undefined when unreadable). */
export function durationSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  let matched = '';
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(amount) * (units[unit as string] ?? 0);
    matched += `${amount}${unit}`;
  }
  return matched === text && matched !== '' ? total : undefined;
}

/**
 * Red when down; yellow when up but the last scrape reported an error or is older than two intervals
 * (the scrape loop is behind); green otherwise; grey before the first scrape.
 */
export function targetLevel(target: ActiveTarget, nowMs: number): Level {
  if (target.health === 'down') return 'bad';
  if (target.health !== 'up') return 'unknown';
  if (target.lastError !== '') return 'warn';
  const interval = durationSeconds(target.scrapeInterval);
  const last = Date.parse(target.lastScrape);
  if (interval !== undefined && Number.isFinite(last) && nowMs - last > 2 * interval * 1000 + 5000) return 'warn';
  return 'ok';
}

/** One service (scrape pool) and how many of its targets are up. */
export interface ServiceSummary {
  name: string;
  up: number;
  total: number;
  level: Level;
}

/** Scrape pools with their up counts: all up green, some down yellow, all down red. */
export function summarizeServices(targets: readonly ActiveTarget[], nowMs: number): ServiceSummary[] {
  const pools = new Map<string, ActiveTarget[]>();
  for (const target of targets) {
    const list = pools.get(target.scrapePool) ?? [];
    list.push(target);
    pools.set(target.scrapePool, list);
  }
  return [...pools.entries()]
    .map(([name, list]) => {
      const levels = list.map((t) => targetLevel(t, nowMs));
      const up = list.filter((t) => t.health === 'up').length;
      const level: Level =
        up === 0
          ? levels.every((l) => l === 'unknown')
            ? 'unknown'
            : 'bad'
          : levels.every((l) => l === 'ok')
            ? 'ok'
            : 'warn';
      return { name, up, total: list.length, level };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Words for a level. */
export const LEVEL_TEXT: Record<Level, string> = { ok: 'up', warn: 'degraded', bad: 'down', unknown: 'unknown' };
