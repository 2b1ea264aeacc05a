import { ServerError } from '../errors.js';
// The top-level sections other than scrape_configs: global, alerting, remote_write, vigil.

import { isAbsolute, resolve } from 'node:path';
import { readNotifications } from '../alerting/notifications-config.js';
import { HTTP_CLIENT_KEYS, readHttpClient } from './http-client.js';
import { readRelabelRules } from './relabel-config.js';
import { readLabels, readStaticConfigs, unsupportedKeyHint } from './scrape-config.js';
import type { AlertingConfig, GlobalConfig, NotificationsConfig, RemoteWriteConfig, VigilSettings } from './types.js';
import { formatDuration, redactUserinfo } from './units.js';
import type { Field } from './yaml-field.js';

/** Prometheus's global defaults (scrape_interval 1m, scrape_timeout 10s, evaluation_interval 1m). */
export const PROMETHEUS_DEFAULTS = { scrapeInterval: 60_000, scrapeTimeout: 10_000, evaluationInterval: 60_000 };

/**
 * Reads `global:`. `scrapeIntervalDefault` stands in for Prometheus's 1m when the file does not set
 * scrape_interval (Vigil's default comes from SCRAPE_INTERVAL_SECONDS, 30s).
 */
export function readGlobal(field: Field, scrapeIntervalDefault: number, env: Env): GlobalConfig {
  const map = field.map([
    'scrape_interval',
    'scrape_timeout',
    'evaluation_interval',
    'external_labels',
    'sample_limit',
    'label_limit',
    'label_name_length_limit',
    'label_value_length_limit',
    'body_size_limit',
  ]);
  const intervalField = map.get('scrape_interval');
  const scrapeInterval = intervalField.duration(scrapeIntervalDefault);
  if (scrapeInterval === 0) throw map.get('scrape_interval').bad('must be greater than 0');
  const timeoutField = map.get('scrape_timeout');
  const explicitTimeout = timeoutField.duration();
  if (explicitTimeout !== undefined && explicitTimeout > scrapeInterval) {
    const from = intervalField.missing ? ', the default from SCRAPE_INTERVAL_SECONDS or 30s' : '';
    throw timeoutField.bad(
      `the global scrape_timeout (${timeoutField.string()}) is greater than scrape_interval (${formatDuration(scrapeInterval)}${from})`,
    );
  }
  const evaluationInterval = map.get('evaluation_interval').duration(PROMETHEUS_DEFAULTS.evaluationInterval);
  if (evaluationInterval === 0) throw map.get('evaluation_interval').bad('must be greater than 0');
  const externalLabels = readLabels(map.get('external_labels'));
  // Prometheus expands $VAR and ${VAR} in external label values (and only there); $$ is a literal $.
  for (const [name, value] of Object.entries(externalLabels)) {
    externalLabels[name] = value.replace(/\$(?:\$|\{(\w+)\}|(\w+))/g, (all, braced?: string, bare?: string) =>
      all === '$$' ? '$' : (env[braced ?? bare ?? ''] ?? ''),
    );
  }
  return {
    scrapeInterval,
    scrapeTimeout: explicitTimeout || Math.min(PROMETHEUS_DEFAULTS.scrapeTimeout, scrapeInterval),
    evaluationInterval,
    externalLabels,
    sampleLimit: map.get('sample_limit').uint(),
    labelLimit: map.get('label_limit').uint(),
    labelNameLengthLimit: map.get('label_name_length_limit').uint(),
    labelValueLengthLimit: map.get('label_value_length_limit').uint(),
    bodySizeLimit: map.get('body_size_limit').size(),
  };
}

/** Environment variables as `process.env` holds them. */
export type Env = Record<string, string | undefined>;

/** Reads `rule_files:`: paths or globs with a `*` only in the last component, resolved against `dir`. */
export function readRuleFiles(field: Field, dir: string): string[] {
  return field.list().map((item) => {
    const path = item.requiredString();
    if (!/^[^*]*(\*[^/]*)?$/.test(path))
      throw item.bad(`${JSON.stringify(path)}: a * glob may appear only in the last path component`);
    return resolve(dir, path);
  });
}

/** Reads `alerting:` (alertmanagers and alert_relabel_configs), for the alerting issue. */
export function readAlerting(field: Field, dir: string): AlertingConfig {
  const map = field.map(['alertmanagers', 'alert_relabel_configs']);
  return {
    alertRelabelConfigs: readRelabelRules(map.get('alert_relabel_configs')),
    alertmanagers: map
      .get('alertmanagers')
      .list()
      .map((item) => {
        const am = item.map(
          [
            'scheme',
            'path_prefix',
            'timeout',
            'api_version',
            'static_configs',
            'file_sd_configs',
            'relabel_configs',
            ...HTTP_CLIENT_KEYS,
          ],
          unsupportedKeyHint,
        );
        const scheme = am.get('scheme').string() || 'http';
        if (scheme !== 'http' && scheme !== 'https') {
          throw am.get('scheme').bad(`expected http or https, got ${JSON.stringify(scheme)}`);
        }
        const apiVersion = am.get('api_version').string() || 'v2';
        if (apiVersion !== 'v2')
          throw am.get('api_version').bad(`expected v2 (the only Alertmanager API), got ${JSON.stringify(apiVersion)}`);
        if (am.has('file_sd_configs')) {
          throw am
            .get('file_sd_configs')
            .bad('file_sd_configs for Alertmanagers is not read yet: list them in static_configs');
        }
        const relabelConfigs = readRelabelRules(am.get('relabel_configs'));
        return {
          scheme,
          pathPrefix: am.get('path_prefix').string() || '/',
          timeout: am.get('timeout').duration(10_000),
          apiVersion,
          http: readHttpClient(am, dir),
          staticConfigs: readStaticConfigs(am.get('static_configs'), relabelConfigs.length === 0),
          fileSdConfigs: [],
          relabelConfigs,
          origin: `${item.source.fileName} line ${item.line}`,
        };
      }),
  };
}

/** Reads `remote_write:`, for the remote-write issue (the defaults are Prometheus's). */
export function readRemoteWrite(field: Field, dir: string): RemoteWriteConfig[] {
  const names = new Set<string>();
  return field.list().map((item) => {
    if (item.missing) throw item.bad('a remote_write entry cannot be empty');
    const map = item.map([
      'url',
      'name',
      'remote_timeout',
      'headers',
      'write_relabel_configs',
      'queue_config',
      'metadata_config',
      ...HTTP_CLIENT_KEYS,
    ]);
    const urlField = map.get('url');
    const url = urlField.requiredString();
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url))
      throw urlField.bad(`expected an http(s) URL, got ${JSON.stringify(redactUserinfo(url))}`);
    const name = map.get('name').string() || undefined;
    if (name !== undefined) {
      if (names.has(name)) throw map.get('name').bad(`two remote_write entries are named ${JSON.stringify(name)}`);
      names.add(name);
    }
    const headers: Record<string, string> = {};
    for (const [header, value] of map.get('headers').stringMap()) {
      if (
        /^(?:authorization|host|content-encoding|content-length|content-type|user-agent|connection|keep-alive|x-prometheus-remote-write-version)$/i.test(
          header,
        )
      ) {
        throw value.bad(`header ${header} is set by Vigil itself (use authorization/basic_auth for credentials)`);
      }
      headers[header] = value.string() ?? '';
    }
    const queue = map
      .get('queue_config')
      .map([
        'capacity',
        'max_shards',
        'min_shards',
        'max_samples_per_send',
        'batch_send_deadline',
        'min_backoff',
        'max_backoff',
      ]);
    const metadata = map.get('metadata_config').map(['send', 'send_interval', 'max_samples_per_send']);
    return {
      url,
      name,
      remoteTimeout: map.get('remote_timeout').duration(30_000),
      headers,
      writeRelabelConfigs: readRelabelRules(map.get('write_relabel_configs')),
      http: readHttpClient(map, dir),
      queue: {
        capacity: queue.get('capacity').uint(10_000),
        maxShards: queue.get('max_shards').uint(50),
        minShards: queue.get('min_shards').uint(1),
        maxSamplesPerSend: queue.get('max_samples_per_send').uint(2000),
        batchSendDeadline: queue.get('batch_send_deadline').duration(5000),
        minBackoff: queue.get('min_backoff').duration(30),
        maxBackoff: queue.get('max_backoff').duration(5000),
      },
      metadata: {
        send: metadata.get('send').bool(true),
        sendInterval: metadata.get('send_interval').duration(60_000),
        maxSamplesPerSend: metadata.get('max_samples_per_send').uint(2000),
      },
      origin: `${item.source.fileName} line ${item.line}`,
    };
  });
}

/** What the environment gives for Vigil's own settings (already validated). */
export interface VigilEnvSettings {
  port?: number;
  dataDir?: string;
  adminTokens?: string[];
  postgresUrl?: string;
  upstreamPrometheus?: string;
}

/** Reads `vigil:`; the file wins over the environment, which wins over the defaults. */
export function readVigilSettings(field: Field, fromEnv: VigilEnvSettings, dir: string, cwd: string): VigilSettings {
  const map = field.map(VIGIL_KEYS);
  const portField = map.get('port');
  const port = portField.missing ? (fromEnv.port ?? 8015) : portField.uint();
  if (port > 65_535) throw portField.bad(`expected a port from 0 to 65535, got ${port}`);
  const dataDirField = map.get('data_dir').string();
  const dataDir = dataDirField ? resolve(dir, dataDirField) : resolve(cwd, fromEnv.dataDir ?? '.vigil-data');
  const adminTokens = map
    .get('admin_tokens')
    .list()
    .map((item) => {
      const token = item.requiredString();
      // As the SDK's AdminAuth reads tokens; the message names the place, never the token.
      if (/\s/.test(token)) throw item.bad('an admin token cannot contain whitespace');
      return token;
    });
  for (const token of fromEnv.adminTokens ?? []) if (!adminTokens.includes(token)) adminTokens.push(token);
  const retention = map.get('retention').map(['time', 'size', 'logs', 'spans']);
  // The defaults are @vigil/tsdb's: 15d retention (Prometheus's), a flush every 5s.
  const retentionTime = retention.get('time').duration(15 * 86_400_000);
  if (retentionTime === 0) throw retention.get('time').bad('must be greater than 0');
  // Log lines and spans: as long as samples unless said otherwise.
  const recordAge = (key: 'logs' | 'spans') => {
    const age = retention.get(key).duration(retentionTime);
    if (age === 0) throw retention.get(key).bad('must be greater than 0');
    return age;
  };
  const flushInterval = map.get('flush_interval').duration(5000);
  if (flushInterval === 0) throw map.get('flush_interval').bad('must be greater than 0');
  const postgresField = map.get('postgres_url');
  const postgresUrl = postgresField.missing ? fromEnv.postgresUrl : postgresField.requiredString();
  // The URL may hold a password: the message names the field, never the value.
  if (postgresUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(postgresUrl)) {
    throw postgresField.missing
      ? new ServerError('VIGIL_BAD_CONFIG', 'VIGIL_POSTGRES_URL: expected postgres://user@host:port/database')
      : postgresField.bad('expected postgres://user@host:port/database');
  }
  const upstreamField = map.get('upstream_prometheus');
  const upstreamPrometheus = upstreamField.missing ? fromEnv.upstreamPrometheus : upstreamField.requiredString();
  if (upstreamPrometheus !== undefined && !/^https?:\/\/[^\s/]+/.test(upstreamPrometheus)) {
    throw upstreamField.missing
      ? new ServerError(
          'VIGIL_BAD_CONFIG',
          'VIGIL_UPSTREAM_PROMETHEUS: expected http(s)://host:port of a Prometheus API',
        )
      : upstreamField.bad('expected http(s)://host:port of a Prometheus API');
  }
  return {
    port,
    listenAddress: map.get('listen_address').string() || '0.0.0.0',
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    adminTokens,
    retention: {
      time: retentionTime,
      size: retention.get('size').size(),
      logs: recordAge('logs'),
      spans: recordAge('spans'),
    },
    flushInterval,
    ...(postgresUrl === undefined ? {} : { postgresUrl }),
    ...(upstreamPrometheus === undefined ? {} : { upstreamPrometheus }),
  };
}

const VIGIL_KEYS = [
  'port',
  'listen_address',
  'data_dir',
  'admin_tokens',
  'retention',
  'flush_interval',
  'notifications',
  'postgres_url',
  'upstream_prometheus',
];

/** Reads `vigil.notifications` (receivers and routes of direct notifications; see docs/alerting.md). */
export function readVigilNotifications(field: Field, dir: string): NotificationsConfig {
  return readNotifications(field.map(VIGIL_KEYS).get('notifications'), dir);
}
