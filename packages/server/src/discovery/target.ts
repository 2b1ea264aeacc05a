import { createHash } from 'node:crypto';
import type { Label } from '@vigil/tsdb';
import type { ScrapeConfig, TargetGroup } from '../config/types.js';
import { formatDuration, parseDuration, redactUserinfo } from '../config/units.js';
import { relabelInPlace, sortedLabels } from './relabel.js';

/** One target to scrape, with its labels built as Prometheus builds them. */
export interface Target {
  job: string;
  /** `scheme://address/metrics_path?params`. */
  url: string;
  /** The labels every scraped series gets (`job`, `instance`, group and relabeled labels), sorted by name. */
  labels: Label[];
  /** The labels before relabeling (`__address__`, `__meta_*`, ...), sorted: what /api/v1/targets shows. */
  discoveredLabels: Label[];
  /** Milliseconds (from `__scrape_interval__`, which relabeling may change). */
  scrapeInterval: number;
  /** Milliseconds (from `__scrape_timeout__`). */
  scrapeTimeout: number;
  /** The job's normalized scrape config (auth, TLS, limits, metric_relabel_configs, ...). */
  config: ScrapeConfig;
  /** Equal for equal targets of a job: the URL, labels, interval, timeout and the job's scrape config. */
  key: string;
}

/** The targets of one group: those kept, the label sets relabeling dropped, and why others were refused. */
export interface GroupTargets {
  targets: Target[];
  dropped: Label[][];
  errors: string[];
}

/** Builds the targets of a group for a job: labels, relabel_configs, `instance`, URL (Prometheus's rules). */
export function targetsFromGroup(config: ScrapeConfig, group: TargetGroup): GroupTargets {
  const out: GroupTargets = { targets: [], dropped: [], errors: [] };
  group.targets.forEach((address, i) => {
    const set = discoveredSet(config, address, group.labels);
    const discoveredLabels = sortedLabels(set);
    if (!relabelInPlace(set, config.relabelConfigs)) {
      out.dropped.push(discoveredLabels);
      return;
    }
    const problem = checkTarget(set);
    if (typeof problem === 'string') {
      out.errors.push(
        `${group.origin}: target ${i + 1} (${JSON.stringify(redactUserinfo(address))}) of job ${JSON.stringify(config.jobName)}: ${problem}`,
      );
      return;
    }
    for (const name of [...set.keys()]) if (name.startsWith('__meta_')) set.delete(name);
    if (!set.has('instance')) set.set('instance', set.get('__address__')!);
    const url = targetUrl(config, set);
    const labels = sortedLabels(set).filter((l) => !l.name.startsWith('__'));
    const labelText = labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(',');
    const key = `${url} ${labelText} ${problem.interval}/${problem.timeout} ${configFingerprint(config)}`;
    out.targets.push({
      job: config.jobName,
      url,
      labels,
      discoveredLabels,
      scrapeInterval: problem.interval,
      scrapeTimeout: problem.timeout,
      config,
      key,
    });
  });
  return out;
}

const fingerprints = new WeakMap<ScrapeConfig, string>();

/** A short hash of a job's scrape config (its place in the file left out): equal for equal settings. */
export function configFingerprint(config: ScrapeConfig): string {
  let fingerprint = fingerprints.get(config);
  if (fingerprint === undefined) {
    const text = JSON.stringify(config, (key, value) => (key === 'origin' ? undefined : value));
    fingerprint = createHash('sha256').update(text).digest('base64url').slice(0, 12);
    fingerprints.set(config, fingerprint);
  }
  return fingerprint;
}

function discoveredSet(
  config: ScrapeConfig,
  address: string,
  groupLabels: Record<string, string>,
): Map<string, string> {
  const set = new Map<string, string>();
  // A target's own label (its address) wins over the group's; empty values are no label.
  if (address !== '') set.set('__address__', address);
  for (const [name, value] of Object.entries(groupLabels)) if (!set.has(name) && value !== '') set.set(name, value);
  const setIfEmpty = (name: string, value: string) => {
    if (!set.get(name) && value !== '') set.set(name, value);
  };
  setIfEmpty('job', config.jobName);
  setIfEmpty('__scrape_interval__', formatDuration(config.scrapeInterval));
  setIfEmpty('__scrape_timeout__', formatDuration(config.scrapeTimeout));
  setIfEmpty('__metrics_path__', config.metricsPath);
  setIfEmpty('__scheme__', config.scheme);
  for (const [name, values] of Object.entries(config.params)) {
    if (values.length > 0) setIfEmpty(`__param_${name}`, values[0]!);
  }
  return set;
}

// After relabeling: the address, interval and timeout must still make sense.
function checkTarget(set: Map<string, string>): string | { interval: number; timeout: number } {
  const address = set.get('__address__');
  if (address === undefined) return 'no __address__ after relabeling';
  if (address.includes('/')) return `${JSON.stringify(redactUserinfo(address))} is not a valid host:port address`;
  const scheme = set.get('__scheme__');
  if (scheme !== 'http' && scheme !== 'https')
    return `__scheme__ must be http or https, got ${JSON.stringify(scheme ?? '')}`;
  const intervalText = set.get('__scrape_interval__') ?? '';
  const interval = parseDuration(intervalText);
  if (interval === undefined) return `__scrape_interval__ ${JSON.stringify(intervalText)} is not a duration`;
  if (interval === 0) return 'the scrape interval cannot be 0';
  const timeoutText = set.get('__scrape_timeout__') ?? '';
  const timeout = parseDuration(timeoutText);
  if (timeout === undefined) return `__scrape_timeout__ ${JSON.stringify(timeoutText)} is not a duration`;
  if (timeout === 0) return 'the scrape timeout cannot be 0';
  if (timeout > interval)
    return `the scrape timeout (${timeoutText}) is greater than the scrape interval (${intervalText})`;
  return { interval, timeout };
}

function targetUrl(config: ScrapeConfig, set: Map<string, string>): string {
  const params = new Map<string, string[]>();
  for (const [name, values] of Object.entries(config.params)) params.set(name, [...values]);
  for (const [name, value] of set) {
    if (!name.startsWith('__param_')) continue;
    const key = name.slice('__param_'.length);
    const values = params.get(key);
    if (values !== undefined && values.length > 0) values[0] = value;
    else params.set(key, [value]);
  }
  const query = [...params.keys()]
    .sort()
    .flatMap((k) => params.get(k)!.map((v) => `${queryEscape(k)}=${queryEscape(v)}`))
    .join('&');
  const path = set.get('__metrics_path__') ?? '';
  const slash = path === '' || path.startsWith('/') ? '' : '/';
  return `${set.get('__scheme__')}://${set.get('__address__')}${slash}${path}${query === '' ? '' : `?${query}`}`;
}

// Go's url.QueryEscape, so the URL is the one Prometheus would request.
function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
