import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ServerError } from '../errors.js';
import { DEFAULT_SCRAPE_INTERVAL_MS, ENV_JOB_NAME, readEnv } from './env.js';
import { readScrapeConfig, SCRAPE_KEYS } from './scrape-config.js';
import {
  type Env,
  readAlerting,
  readGlobal,
  readRemoteWrite,
  readRuleFiles,
  readVigilNotifications,
  readVigilSettings,
} from './sections.js';
import type { GlobalConfig, ScrapeConfig, TargetGroup, VigilConfig } from './types.js';
import { YamlSource } from './yaml-field.js';

const TOP_LEVEL_KEYS = ['global', 'scrape_configs', 'rule_files', 'alerting', 'remote_write', 'vigil'];

/** Options of loadConfig. */
export interface LoadConfigOptions {
  /** The config file; default `env.VIGIL_CONFIG`; with neither, the configuration comes from the environment. */
  path?: string;
  env: Env;
  /** Directory that relative paths of the environment resolve against (default `process.cwd()`). */
  cwd?: string;
}

/**
 * Reads `vigil.yaml` (a prometheus.yml plus a `vigil:` section) and the environment into a normalized config.
 * Throws ServerError VIGIL_BAD_CONFIG (file, line, field) or VIGIL_CONFIG_UNSUPPORTED (an option Vigil does not
 * read, named with its line).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<VigilConfig> {
  const cwd = options.cwd ?? process.cwd();
  const path = options.path ?? (options.env.VIGIL_CONFIG?.trim() || undefined);
  if (path === undefined) return parseConfig('', undefined, options.env, cwd);
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ServerError('VIGIL_BAD_CONFIG', `${path}: cannot read the config file: ${why}`, { cause: err });
  }
  return parseConfig(text, path, options.env, cwd);
}

/**
 * Parses config text as if read from `fileName` (undefined: no file, the environment alone); relative paths in
 * the file resolve against the file's directory. Same errors as loadConfig.
 */
export function parseConfig(text: string, fileName: string | undefined, env: Env, cwd = process.cwd()): VigilConfig {
  const fromEnv = readEnv(env);
  const source = new YamlSource(text, fileName ?? '(no config file)');
  const file = fileName === undefined ? undefined : resolve(cwd, fileName);
  const dir = file === undefined ? cwd : dirname(file);
  const root = source.root().map(TOP_LEVEL_KEYS, topLevelHint);

  // The file wins; SCRAPE_INTERVAL_SECONDS fills in when it sets no global scrape_interval.
  const global = readGlobal(root.get('global'), fromEnv.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL_MS, env);
  const scrapeConfigs: ScrapeConfig[] = [];
  const firstLine = new Map<string, number>();
  for (const item of root.get('scrape_configs').list()) {
    const config = readScrapeConfig(item, global, dir);
    const first = firstLine.get(config.jobName);
    if (first !== undefined) {
      throw item
        .map(SCRAPE_KEYS)
        .get('job_name')
        .bad(`duplicate job_name ${JSON.stringify(config.jobName)} (first at line ${first})`);
    }
    firstLine.set(config.jobName, item.line);
    scrapeConfigs.push(config);
  }
  if (fromEnv.scrapeTargets.length > 0) {
    if (firstLine.has(ENV_JOB_NAME)) {
      throw new ServerError(
        'VIGIL_BAD_CONFIG',
        `SCRAPE_TARGETS: becomes the job ${JSON.stringify(ENV_JOB_NAME)}, which ${source.fileName} line ${firstLine.get(ENV_JOB_NAME)} already defines; rename that job or unset SCRAPE_TARGETS`,
      );
    }
    scrapeConfigs.push(envScrapeConfig(global, fromEnv.scrapeTargets));
  }
  return {
    file,
    global,
    scrapeConfigs,
    ruleFiles: readRuleFiles(root.get('rule_files'), dir),
    alerting: readAlerting(root.get('alerting'), dir),
    remoteWrite: readRemoteWrite(root.get('remote_write'), dir),
    vigil: readVigilSettings(root.get('vigil'), fromEnv.settings, dir, cwd),
    notifications: readVigilNotifications(root.get('vigil'), dir),
  };
}

/** The job SCRAPE_TARGETS becomes: every global default, the targets as static groups. */
function envScrapeConfig(global: GlobalConfig, staticConfigs: TargetGroup[]): ScrapeConfig {
  return {
    jobName: ENV_JOB_NAME,
    scrapeInterval: global.scrapeInterval,
    scrapeTimeout: global.scrapeTimeout,
    metricsPath: '/metrics',
    scheme: 'http',
    params: {},
    honorLabels: false,
    honorTimestamps: true,
    sampleLimit: global.sampleLimit,
    labelLimit: global.labelLimit,
    labelNameLengthLimit: global.labelNameLengthLimit,
    labelValueLengthLimit: global.labelValueLengthLimit,
    bodySizeLimit: global.bodySizeLimit,
    enableCompression: true,
    http: { tls: { insecureSkipVerify: false }, followRedirects: true },
    staticConfigs,
    fileSdConfigs: [],
    relabelConfigs: [],
    metricRelabelConfigs: [],
    origin: 'SCRAPE_TARGETS',
  };
}

function topLevelHint(key: string): string | undefined {
  const known: Record<string, string> = {
    remote_read: 'Vigil answers queries from its own store; remote_read is not read',
    storage: 'set retention under vigil.retention instead',
    tracing: 'Vigil receives OTLP itself; tracing is not read',
    scrape_config_files: 'put the scrape configs in this file',
    otlp: 'OTLP ingestion is configured by Vigil itself',
    runtime: 'a Go runtime setting with no meaning for Vigil',
  };
  return known[key];
}
