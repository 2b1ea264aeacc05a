// The normalized configuration: every default applied, durations in milliseconds, sizes in bytes, file paths
// resolved against the directory of the file that named them.

import type { RelabelRule } from '../discovery/relabel-rule.js';

/** The whole configuration of the `vigil` service. */
export interface VigilConfig {
  /** The file read (absolute path), or undefined when the configuration came from the environment alone. */
  file: string | undefined;
  global: GlobalConfig;
  /** Jobs in file order; a job from SCRAPE_TARGETS comes last. */
  scrapeConfigs: ScrapeConfig[];
  /** Rule file paths or globs (a `*` only in the last path component), resolved. */
  ruleFiles: string[];
  alerting: AlertingConfig;
  remoteWrite: RemoteWriteConfig[];
  vigil: VigilSettings;
  /** `vigil.notifications`: direct notifications (webhook, Discord, Slack) with Alertmanager-style routing. */
  notifications: NotificationsConfig;
}

/** `global:`; durations in ms, body size in bytes, 0 meaning no limit. */
export interface GlobalConfig {
  scrapeInterval: number;
  scrapeTimeout: number;
  evaluationInterval: number;
  externalLabels: Record<string, string>;
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  bodySizeLimit: number;
}

/** One `scrape_configs` entry with the global defaults applied. */
export interface ScrapeConfig {
  jobName: string;
  scrapeInterval: number;
  scrapeTimeout: number;
  metricsPath: string;
  scheme: 'http' | 'https';
  /** Query parameters, each with all its values (`params: { module: [http_2xx] }`). */
  params: Record<string, string[]>;
  honorLabels: boolean;
  honorTimestamps: boolean;
  /** 0 means no limit, as in Prometheus. */
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  /** Bytes; 0 means no limit. */
  bodySizeLimit: number;
  /** Whether to ask for gzip (Accept-Encoding). */
  enableCompression: boolean;
  http: HttpClientConfig;
  staticConfigs: TargetGroup[];
  fileSdConfigs: FileSdConfig[];
  relabelConfigs: RelabelRule[];
  metricRelabelConfigs: RelabelRule[];
  /** Where the job is written (`vigil.yaml line 12`, or `SCRAPE_TARGETS`), for messages. */
  origin: string;
}

/** A target group as static_configs and file_sd files write it. */
export interface TargetGroup {
  /** `host:port` strings, each becoming a target's `__address__`. */
  targets: string[];
  labels: Record<string, string>;
  /** Where the group is written (`vigil.yaml line 14`, `targets.json line 3`), for messages. */
  origin: string;
}

/** One `file_sd_configs` entry. */
export interface FileSdConfig {
  /** Absolute paths; the last path component may hold a `*` glob. */
  files: string[];
  /** Milliseconds between re-reads besides file-change events (Prometheus default 5m). */
  refreshInterval: number;
}

/** Authentication and TLS of an HTTP client (scrapes, Alertmanagers, remote write), as prometheus.yml writes it. */
export interface HttpClientConfig {
  /** `authorization` (and `bearer_token`/`bearer_token_file`, read as type Bearer). */
  authorization?: { type: string; credentials?: string; credentialsFile?: string };
  basicAuth?: { username: string; password?: string; passwordFile?: string };
  tls: TlsConfig;
  followRedirects: boolean;
}

/** `tls_config`; files resolved. */
export interface TlsConfig {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
  insecureSkipVerify: boolean;
}

/** `alerting:`; kept typed for the alerting issue. */
export interface AlertingConfig {
  alertRelabelConfigs: RelabelRule[];
  alertmanagers: AlertmanagerConfig[];
}

/** One `alerting.alertmanagers` entry. */
export interface AlertmanagerConfig {
  scheme: 'http' | 'https';
  pathPrefix: string;
  timeout: number;
  apiVersion: 'v2';
  http: HttpClientConfig;
  staticConfigs: TargetGroup[];
  fileSdConfigs: FileSdConfig[];
  relabelConfigs: RelabelRule[];
  origin: string;
}

/** One `remote_write` entry; kept typed for the remote-write issue. */
export interface RemoteWriteConfig {
  url: string;
  name: string | undefined;
  remoteTimeout: number;
  headers: Record<string, string>;
  writeRelabelConfigs: RelabelRule[];
  http: HttpClientConfig;
  queue: {
    capacity: number;
    maxShards: number;
    minShards: number;
    maxSamplesPerSend: number;
    batchSendDeadline: number;
    minBackoff: number;
    maxBackoff: number;
  };
  metadata: { send: boolean; sendInterval: number; maxSamplesPerSend: number };
  origin: string;
}

/** Vigil's own settings (`vigil:` in the file, then the VIGIL_* environment, then defaults). */
export interface VigilSettings {
  /** HTTP port of the service (VIGIL_PORT, default 8015; 0 picks a free port). */
  port: number;
  /** Host to listen on (default 0.0.0.0). */
  listenAddress: string;
  /** Data directory, absolute (VIGIL_DATA_DIR, default ./.vigil-data). */
  dataDir: string;
  /** Accepted admin bearer tokens: the file's `admin_tokens` plus VIGIL_ADMIN_TOKEN. Never log these. */
  adminTokens: string[];
  retention: {
    /** Milliseconds samples are kept (default 15d, as Prometheus); Tsdb's `retentionMs`. */
    time: number;
    /** Bytes the sample store may use before the oldest data goes; 0 means no size limit (`retentionBytes`). */
    size: number;
    /** Milliseconds log lines are kept (default: `time`). */
    logs: number;
    /** Milliseconds spans are kept (default: `time`). Invocation rows and audit events are kept for good. */
    spans: number;
  };
  /** Milliseconds between writes of the in-memory head to the data directory (default 5s; `flushIntervalMs`). */
  flushInterval: number;
  /** Records (logs, spans, invocations, audit, alert history) in PostgreSQL instead of the data directory's SQLite file. */
  postgresUrl?: string;
  /** A Prometheus-compatible API that queries and rules read instead of the embedded store. */
  upstreamPrometheus?: string;
}

/** `vigil.notifications`: receivers and a route tree in Alertmanager's configuration shape (docs/alerting.md). */
export interface NotificationsConfig {
  /** The URL alerts link back to (generatorURL, $externalURL); default http://<host>:<port>. */
  externalUrl: string | undefined;
  /** Undefined when no receiver is configured: alerts then go to `alerting.alertmanagers` only. */
  route: RouteConfig | undefined;
  receivers: ReceiverConfig[];
}

/** One node of the route tree; children inherit what they do not set. */
export interface RouteConfig {
  receiver: string;
  /** Label names alerts are grouped by; `all` for `group_by: ['...']`. */
  groupBy: string[] | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  matchers: { name: string; type: '=' | '!=' | '=~' | '!~'; value: string }[];
  continue: boolean;
  routes: RouteConfig[];
  origin: string;
}

/** A named receiver: any number of webhook, Discord and Slack integrations. URLs are secrets: never logged. */
export interface ReceiverConfig {
  name: string;
  webhooks: { url: string; sendResolved: boolean; maxAlerts: number }[];
  discord: { webhookUrl: string; sendResolved: boolean }[];
  slack: { apiUrl: string; channel?: string; username?: string; sendResolved: boolean }[];
  origin: string;
}
