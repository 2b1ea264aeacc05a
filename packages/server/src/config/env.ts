import { ServerError } from '../errors.js';
import type { VigilEnvSettings } from './sections.js';
import type { TargetGroup } from './types.js';
import { redactUserinfo } from './units.js';

/** The job that SCRAPE_TARGETS becomes. */
export const ENV_JOB_NAME = 'vigil-targets';
/** Vigil's scrape interval when neither the file nor SCRAPE_INTERVAL_SECONDS sets one. */
export const DEFAULT_SCRAPE_INTERVAL_MS = 30_000;

/** What the environment says, validated; undefined where a variable is unset or empty. */
export interface EnvConfig {
  settings: VigilEnvSettings;
  scrapeInterval: number | undefined;
  /** SCRAPE_TARGETS as target groups, one per scheme and metrics path. */
  scrapeTargets: TargetGroup[];
}

function bad(variable: string, why: string, value: string): ServerError {
  return new ServerError('VIGIL_BAD_CONFIG', `${variable}: ${why}, got ${JSON.stringify(value)}`);
}

/** Reads VIGIL_PORT, VIGIL_DATA_DIR, VIGIL_ADMIN_TOKEN, SCRAPE_INTERVAL_SECONDS and SCRAPE_TARGETS. */
export function readEnv(env: Record<string, string | undefined>): EnvConfig {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const settings: VigilEnvSettings = {};
  const port = value('VIGIL_PORT');
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535)
      throw bad('VIGIL_PORT', 'expected a port from 0 to 65535', port);
    settings.port = Number(port);
  }
  const dataDir = value('VIGIL_DATA_DIR');
  if (dataDir !== undefined) settings.dataDir = dataDir;
  const tokens = env.VIGIL_ADMIN_TOKEN;
  if (tokens !== undefined && tokens.trim() !== '') {
    // Comma-separated for several, as the SDK's AdminAuth reads it; the message never shows a token.
    settings.adminTokens = tokens.split(',').map((t) => t.trim());
    settings.adminTokens.forEach((t, i) => {
      if (t === '' || /\s/.test(t)) {
        throw new ServerError('VIGIL_BAD_CONFIG', `VIGIL_ADMIN_TOKEN: token #${i + 1} is empty or contains whitespace`);
      }
    });
  }
  const postgresUrl = value('VIGIL_POSTGRES_URL');
  if (postgresUrl !== undefined) settings.postgresUrl = postgresUrl;
  const upstream = value('VIGIL_UPSTREAM_PROMETHEUS');
  if (upstream !== undefined) settings.upstreamPrometheus = upstream;
  let scrapeInterval: number | undefined;
  const seconds = value('SCRAPE_INTERVAL_SECONDS');
  if (seconds !== undefined) {
    scrapeInterval = /^\d+(?:\.\d+)?$/.test(seconds) ? Math.round(Number(seconds) * 1000) : 0;
    if (scrapeInterval < 1)
      throw bad('SCRAPE_INTERVAL_SECONDS', 'expected a positive number of seconds such as 30', seconds);
  }
  const targets = value('SCRAPE_TARGETS');
  return { settings, scrapeInterval, scrapeTargets: targets === undefined ? [] : parseScrapeTargets(targets) };
}

const TARGET = /^(?:(https?):\/\/)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?(\/[^?#\s]*)?$/;

/**
 * SCRAPE_TARGETS (`host:port[/path]`, comma-separated; `http://` or `https://` in front is allowed, and the port
 * may then be left out) as target groups: one per scheme and path, carrying `__scheme__`/`__metrics_path__`.
 */
export function parseScrapeTargets(text: string): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  const entries = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const entry of entries) {
    const m = TARGET.exec(entry);
    const [, scheme, host, port, path] = m ?? [];
    if (
      !m ||
      (port === undefined && scheme === undefined) ||
      (port !== undefined && (Number(port) < 1 || Number(port) > 65_535))
    ) {
      throw bad(
        'SCRAPE_TARGETS',
        'each target must be host:port or host:port/path (e.g. localhost:8000/metrics)',
        redactUserinfo(entry),
      );
    }
    const labels: Record<string, string> = {};
    if (scheme !== undefined) labels.__scheme__ = scheme;
    if (path !== undefined) labels.__metrics_path__ = path;
    const key = `${scheme ?? ''} ${path ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { targets: [], labels, origin: 'SCRAPE_TARGETS' };
      groups.set(key, group);
    }
    const address = port === undefined ? host! : `${host}:${port}`;
    if (!group.targets.includes(address)) group.targets.push(address);
  }
  return [...groups.values()];
}
