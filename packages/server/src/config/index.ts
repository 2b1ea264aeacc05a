// The configuration of the `vigil` service, as an explicit list.

export { DEFAULT_SCRAPE_INTERVAL_MS, ENV_JOB_NAME, parseScrapeTargets } from './env.js';
export { type LoadConfigOptions, loadConfig, parseConfig } from './load.js';
export type {
  AlertingConfig,
  AlertmanagerConfig,
  FileSdConfig,
  GlobalConfig,
  HttpClientConfig,
  RemoteWriteConfig,
  ScrapeConfig,
  TargetGroup,
  TlsConfig,
  VigilConfig,
  VigilSettings,
} from './types.js';
export { formatDuration, parseDuration, parseSize } from './units.js';
