import { resolve } from 'node:path';
import { isLabelName } from '../discovery/relabel-rule.js';
import { HTTP_CLIENT_KEYS, readHttpClient } from './http-client.js';
import { readRelabelRules } from './relabel-config.js';
import type { FileSdConfig, GlobalConfig, ScrapeConfig, TargetGroup } from './types.js';
import { redactUserinfo } from './units.js';
import type { Field } from './yaml-field.js';

/** The keys of a scrape_configs entry that Vigil reads. */
export const SCRAPE_KEYS = [
  'job_name',
  'scrape_interval',
  'scrape_timeout',
  'metrics_path',
  'scheme',
  'params',
  'honor_labels',
  'honor_timestamps',
  'sample_limit',
  'label_limit',
  'label_name_length_limit',
  'label_value_length_limit',
  'body_size_limit',
  'enable_compression',
  'static_configs',
  'file_sd_configs',
  'relabel_configs',
  'metric_relabel_configs',
  ...HTTP_CLIENT_KEYS,
];

/** Prometheus's default file_sd refresh_interval. */
export const DEFAULT_FILE_SD_REFRESH_MS = 5 * 60_000;
const FILE_SD_PATH = /^[^*]*(\*[^/]*)?\.(?:json|yml|yaml|JSON|YML|YAML)$/;

/** The hint for a key Vigil does not read: service discovery gets its own words. */
export function unsupportedKeyHint(key: string): string | undefined {
  if (key.endsWith('_sd_configs')) {
    return 'Vigil discovers targets with static_configs and file_sd_configs only';
  }
  return undefined;
}

/** Reads one scrape_configs entry, applying the global defaults as Prometheus does. */
export function readScrapeConfig(item: Field, global: GlobalConfig, dir: string): ScrapeConfig {
  if (item.missing) throw item.bad('a scrape config cannot be empty');
  const map = item.map(SCRAPE_KEYS, unsupportedKeyHint);
  const jobName = map.get('job_name').requiredString();
  const scrapeInterval = map.get('scrape_interval').duration(global.scrapeInterval);
  if (scrapeInterval === 0) throw map.get('scrape_interval').bad('must be greater than 0');
  const timeoutField = map.get('scrape_timeout');
  const explicitTimeout = timeoutField.duration();
  if (explicitTimeout !== undefined && explicitTimeout > scrapeInterval) {
    throw timeoutField.bad(`scrape_timeout (${timeoutField.string()}) is greater than the job's scrape_interval`);
  }
  const scheme = map.get('scheme').string() || 'http';
  if (scheme !== 'http' && scheme !== 'https') {
    throw map.get('scheme').bad(`expected http or https, got ${JSON.stringify(scheme)}`);
  }
  const params: Record<string, string[]> = {};
  for (const [name, values] of map.get('params').stringMap()) params[name] = values.stringList();
  const relabelConfigs = readRelabelRules(map.get('relabel_configs'));
  const staticConfigs = readStaticConfigs(map.get('static_configs'), relabelConfigs.length === 0);
  const limit = (key: string, fallback: number) => map.get(key).uint(0) || fallback;
  return {
    jobName,
    scrapeInterval,
    scrapeTimeout: explicitTimeout || Math.min(global.scrapeTimeout, scrapeInterval),
    metricsPath: map.get('metrics_path').string() || '/metrics',
    scheme,
    params,
    honorLabels: map.get('honor_labels').bool(false),
    honorTimestamps: map.get('honor_timestamps').bool(true),
    sampleLimit: limit('sample_limit', global.sampleLimit),
    labelLimit: limit('label_limit', global.labelLimit),
    labelNameLengthLimit: limit('label_name_length_limit', global.labelNameLengthLimit),
    labelValueLengthLimit: limit('label_value_length_limit', global.labelValueLengthLimit),
    bodySizeLimit: map.get('body_size_limit').size() || global.bodySizeLimit,
    enableCompression: map.get('enable_compression').bool(true),
    http: readHttpClient(map, dir),
    staticConfigs,
    fileSdConfigs: readFileSdConfigs(map.get('file_sd_configs'), dir),
    relabelConfigs,
    metricRelabelConfigs: readRelabelRules(map.get('metric_relabel_configs')),
    origin: `${item.source.fileName} line ${item.line}`,
  };
}

/**
 * Reads static_configs. Without relabel rules a target must be `host:port` (Prometheus refuses a URL there, since
 * nothing could turn it into an address); with them, relabeling may rewrite `__address__`.
 */
export function readStaticConfigs(list: Field, checkAddresses: boolean): TargetGroup[] {
  return list.list().map((item) => {
    const map = item.map(['targets', 'labels']);
    const targets = map.get('targets').stringList();
    if (checkAddresses) {
      map
        .get('targets')
        .list()
        .forEach((field, i) => {
          const problem = addressProblem(targets[i]!);
          if (problem !== undefined) throw field.bad(problem);
        });
    }
    return { targets, labels: readLabels(map.get('labels')), origin: `${item.source.fileName} line ${item.line}` };
  });
}

/** Why `address` cannot be a target's `__address__`, or undefined when it can. */
export function addressProblem(address: string): string | undefined {
  if (address === '') return 'a target address cannot be empty';
  if (address.includes('/')) {
    return `${JSON.stringify(redactUserinfo(address))} is not a valid target address: write host:port (the scheme and path go in scheme and metrics_path)`;
  }
  return undefined;
}

/** Reads a label set, checking names as Prometheus 2 does (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export function readLabels(field: Field): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of field.stringMap()) {
    if (!isLabelName(name)) throw value.bad(`${JSON.stringify(name)} is not a valid label name`);
    labels[name] = value.string() ?? '';
  }
  return labels;
}

function readFileSdConfigs(list: Field, dir: string): FileSdConfig[] {
  return list.list().map((item) => {
    const map = item.map(['files', 'refresh_interval']);
    const files = map
      .get('files')
      .list()
      .map((field) => {
        const path = field.requiredString();
        if (!FILE_SD_PATH.test(path)) {
          throw field.bad(
            `${JSON.stringify(path)} must end in .json, .yml or .yaml, with a * glob only in the last path component`,
          );
        }
        return resolve(dir, path);
      });
    if (files.length === 0) throw map.get('files').bad('file_sd_configs needs at least one file');
    const refreshInterval = map.get('refresh_interval').duration(DEFAULT_FILE_SD_REFRESH_MS);
    if (refreshInterval === 0) throw map.get('refresh_interval').bad('must be greater than 0');
    return { files, refreshInterval };
  });
}
