// The Alertmanagers of `alerting.alertmanagers`: their URLs (static_configs through relabel_configs, as Prometheus
// builds them) and the headers their authentication needs.

import { readFileSync } from 'node:fs';
import type { AlertmanagerConfig, HttpClientConfig } from '../config/types.js';
import { relabel, sortedLabels } from '../discovery/relabel.js';
import type { ScrapeTls } from '../scrape/fetch-exposition.js';

/** One Alertmanager to post alerts to. */
export interface AlertmanagerTarget {
  /** `http://host:port/api/v2/alerts`. */
  url: string;
  /** `alertmanager host:port`, for logs and metrics (no credentials). */
  name: string;
  timeoutMs: number;
  headers: Record<string, string>;
  tls?: ScrapeTls;
}

/** The Alertmanager URLs the config names; relabeling may drop or rewrite them. */
export function alertmanagerTargets(configs: readonly AlertmanagerConfig[]): AlertmanagerTarget[] {
  const out: AlertmanagerTarget[] = [];
  for (const config of configs) {
    const headers = authHeaders(config.http);
    const tls = tlsOf(config.http);
    const alertsPath = `${config.pathPrefix.replace(/\/$/, '')}/api/v2/alerts`;
    for (const group of config.staticConfigs) {
      for (const address of group.targets) {
        const set = new Map<string, string>(Object.entries(group.labels));
        set.set('__address__', address);
        set.set('__scheme__', config.scheme);
        set.set('__alerts_path__', alertsPath);
        const labels = relabel(sortedLabels(set), config.relabelConfigs);
        if (!labels) continue;
        const get = (name: string) => labels.find((l) => l.name === name)?.value ?? '';
        const url = `${get('__scheme__')}://${get('__address__')}${get('__alerts_path__')}`;
        if (!URL.canParse(url)) continue;
        out.push({
          url,
          name: `alertmanager ${get('__address__')}`,
          timeoutMs: config.timeout,
          headers,
          ...(tls ? { tls } : {}),
        });
      }
    }
  }
  return out;
}

function authHeaders(http: HttpClientConfig): Record<string, string> {
  if (http.authorization) {
    const credentials = http.authorization.credentialsFile
      ? readFileSync(http.authorization.credentialsFile, 'utf8').trim()
      : (http.authorization.credentials ?? '');
    return { authorization: `${http.authorization.type} ${credentials}` };
  }
  if (http.basicAuth) {
    const password = http.basicAuth.passwordFile
      ? readFileSync(http.basicAuth.passwordFile, 'utf8').trim()
      : (http.basicAuth.password ?? '');
    return { authorization: `Basic ${Buffer.from(`${http.basicAuth.username}:${password}`).toString('base64')}` };
  }
  return {};
}

function tlsOf(http: HttpClientConfig): ScrapeTls | undefined {
  const t = http.tls;
  if (!t.caFile && !t.certFile && !t.serverName && !t.insecureSkipVerify) return undefined;
  return {
    ...(t.caFile ? { ca: readFileSync(t.caFile) } : {}),
    ...(t.certFile ? { cert: readFileSync(t.certFile) } : {}),
    ...(t.keyFile ? { key: readFileSync(t.keyFile) } : {}),
    ...(t.serverName ? { serverName: t.serverName } : {}),
    insecureSkipVerify: t.insecureSkipVerify,
  };
}
