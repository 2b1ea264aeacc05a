// The Prometheus HTTP API v1 routes the views read, typed as Prometheus documents them.
import type { ApiClient, QueryNotes } from './client.js';

/** Label set of a series. */
export type Labels = Record<string, string>;
/** `[unix seconds, "value"]` */
export type SamplePair = [number, string];

/** One series of a range query. */
export interface MatrixSeries {
  metric: Labels;
  values: SamplePair[];
}
/** One series of an instant query. */
export interface VectorSample {
  metric: Labels;
  value: SamplePair;
}

/** The `data` of `/api/v1/query`. */
export type InstantResult = QueryNotes &
  (
    | { resultType: 'vector'; result: VectorSample[] }
    | { resultType: 'matrix'; result: MatrixSeries[] }
    | { resultType: 'scalar'; result: SamplePair }
    | { resultType: 'string'; result: SamplePair }
  );

/** The `data` of `/api/v1/query_range`. */
export interface RangeResult extends QueryNotes {
  resultType: 'matrix';
  result: MatrixSeries[];
}

/** One entry of `data.activeTargets` of `/api/v1/targets`. */
export interface ActiveTarget {
  discoveredLabels?: Labels;
  labels: Labels;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl?: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: 'up' | 'down' | 'unknown';
  scrapeInterval?: string;
  scrapeTimeout?: string;
}

/** One alert of `/api/v1/alerts`. */
export interface Alert {
  labels: Labels;
  annotations: Labels;
  state: 'firing' | 'pending' | 'inactive';
  activeAt?: string;
  value: string;
}

/** One rule of `/api/v1/rules`. */
export interface Rule {
  name: string;
  query: string;
  type: 'alerting' | 'recording';
  health: string;
  lastError?: string;
  state?: 'firing' | 'pending' | 'inactive';
  duration?: number;
  labels?: Labels;
  annotations?: Labels;
  alerts?: Alert[];
  lastEvaluation?: string;
}

/** One group of `/api/v1/rules`. */
export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: Rule[];
}

/** The Prometheus routes, bound to a client. */
export function prometheusApi(client: ApiClient) {
  return {
    query(query: string, time: number, signal?: AbortSignal): Promise<InstantResult> {
      return client.prometheus('/api/v1/query', { query, time }, signal);
    },
    queryRange(query: string, start: number, end: number, step: number, signal?: AbortSignal): Promise<RangeResult> {
      return client.prometheus('/api/v1/query_range', { query, start, end, step }, signal);
    },
    targets(signal?: AbortSignal): Promise<{ activeTargets: ActiveTarget[] }> {
      return client.prometheus('/api/v1/targets', { state: 'active' }, signal);
    },
    alerts(signal?: AbortSignal): Promise<{ alerts: Alert[] }> {
      return client.prometheus('/api/v1/alerts', undefined, signal);
    },
    rules(signal?: AbortSignal): Promise<{ groups: RuleGroup[] }> {
      return client.prometheus('/api/v1/rules', undefined, signal);
    },
    labelNames(signal?: AbortSignal): Promise<string[]> {
      return client.prometheus('/api/v1/labels', undefined, signal);
    },
    labelValues(name: string, match?: string, signal?: AbortSignal): Promise<string[]> {
      const params = match === undefined ? undefined : { 'match[]': [match] };
      return client.prometheus(`/api/v1/label/${encodeURIComponent(name)}/values`, params, signal);
    },
  };
}

/** The bound Prometheus routes. */
export type PrometheusApi = ReturnType<typeof prometheusApi>;
