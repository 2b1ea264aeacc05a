import { readFileSync } from 'node:fs';
import type { Label } from '@vigil/tsdb';
import type { HttpClientConfig } from '../config/types.js';
import { relabel } from '../discovery/relabel.js';
import type { Target } from '../discovery/target.js';
import { ServerError } from '../errors.js';
import type { ScrapeTls } from './fetch-exposition.js';
import type { ScrapeTarget } from './target.js';

/**
 * The scrape loop's view of a discovered target: limits, honor_* flags and metric relabeling
 * from its job, the Authorization header and TLS material read from their files. A file that
 * cannot be read is a VIGIL_BAD_CONFIG error naming it.
 */
export function scrapeTargetOf(target: Target): ScrapeTarget {
  const config = target.config;
  const rules = config.metricRelabelConfigs;
  const headers = authorizationOf(config.http);
  const tls = tlsOf(config.http);
  return {
    key: `${target.job}\u0000${target.key}`,
    job: target.job,
    url: target.url,
    labels: target.labels,
    discoveredLabels: Object.fromEntries(target.discoveredLabels.map((l) => [l.name, l.value])),
    intervalMs: target.scrapeInterval,
    timeoutMs: target.scrapeTimeout,
    honorLabels: config.honorLabels,
    honorTimestamps: config.honorTimestamps,
    limits: {
      sampleLimit: config.sampleLimit,
      labelLimit: config.labelLimit,
      labelNameLengthLimit: config.labelNameLengthLimit,
      labelValueLengthLimit: config.labelValueLengthLimit,
      bodySizeLimit: config.bodySizeLimit,
    },
    followRedirects: config.http.followRedirects,
    gzip: config.enableCompression,
    ...(headers ? { headers } : {}),
    ...(tls ? { tls } : {}),
    ...(rules.length > 0 ? { metricRelabel: (labels: Label[]) => relabel(labels, rules) } : {}),
  };
}

function authorizationOf(http: HttpClientConfig): Record<string, string> | undefined {
  if (http.authorization) {
    const { type, credentials, credentialsFile } = http.authorization;
    const secret = credentialsFile ? readSecret(credentialsFile, 'authorization.credentials_file') : credentials;
    return secret ? { authorization: `${type} ${secret}` } : undefined;
  }
  if (http.basicAuth) {
    const { username, password, passwordFile } = http.basicAuth;
    const secret = passwordFile ? readSecret(passwordFile, 'basic_auth.password_file') : (password ?? '');
    return { authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}` };
  }
  return undefined;
}

function tlsOf(http: HttpClientConfig): ScrapeTls | undefined {
  const tls = http.tls;
  if (!tls.caFile && !tls.certFile && !tls.keyFile && !tls.serverName && !tls.insecureSkipVerify) return undefined;
  return {
    ...(tls.caFile ? { ca: readFile(tls.caFile, 'tls_config.ca_file') } : {}),
    ...(tls.certFile ? { cert: readFile(tls.certFile, 'tls_config.cert_file') } : {}),
    ...(tls.keyFile ? { key: readFile(tls.keyFile, 'tls_config.key_file') } : {}),
    ...(tls.serverName ? { serverName: tls.serverName } : {}),
    insecureSkipVerify: tls.insecureSkipVerify,
  };
}

function readSecret(path: string, field: string): string {
  return readFile(path, field).toString('utf8').trim();
}

function readFile(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ServerError('VIGIL_BAD_CONFIG', `${field} ${path}: cannot read it: ${why}`, { cause: error });
  }
}
