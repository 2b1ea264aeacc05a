// The Alertmanagers of `alerting.alertmanagers`: their URLs (static_configs through relabel_configs, as Prometheus
// builds them) and the headers their authentication needs.

import { authorizationHeader, type TlsMaterial, tlsMaterial } from '../config/http-credentials.js';
import type { AlertmanagerConfig } from '../config/types.js';
import { relabel, sortedLabels } from '../discovery/relabel.js';

/** One Alertmanager to post alerts to. */
export interface AlertmanagerTarget {
  /** `http://host:port/api/v2/alerts`. */
  url: string;
  /** `alertmanager host:port`, for logs and metrics (no credentials). */
  name: string;
  timeoutMs: number;
  headers: Record<string, string>;
  tls?: TlsMaterial;
}

/** The Alertmanager URLs the config names; relabeling may drop or rewrite them. */
export function alertmanagerTargets(configs: readonly AlertmanagerConfig[]): AlertmanagerTarget[] {
  const out: AlertmanagerTarget[] = [];
  for (const config of configs) {
    const headers = authorizationHeader(config.http, `alertmanager ${config.origin}`);
    const tls = tlsMaterial(config.http, `alertmanager ${config.origin}`);
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
