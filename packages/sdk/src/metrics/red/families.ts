import type { BoundedCounter, BoundedGauge, BoundedHistogram } from '../bounded.js';
import type { Metrics } from '../metrics.js';

/** Upper bounds of `http_request_duration_seconds`: 5 ms to 2 min, since agent requests can wait on several LLM calls. */
export const HTTP_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
]);

/** The HTTP RED families: rate, errors, duration, and requests in flight. */
export interface HttpFamilies {
  /** `http_requests_total{method,route,status}` */
  readonly requests: BoundedCounter<'method' | 'route' | 'status'>;
  /** `http_request_duration_seconds{method,route,status}` */
  readonly duration: BoundedHistogram<'method' | 'route' | 'status'>;
  /** `http_request_errors_total{method,route}`: status 500 and above. */
  readonly errors: BoundedCounter<'method' | 'route'>;
  /** `http_requests_in_flight` */
  readonly inFlight: BoundedGauge;
}

/** Registers the HTTP RED families in `metrics`. */
export function createHttpFamilies(metrics: Metrics): HttpFamilies {
  return {
    requests: metrics.counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
    }),
    duration: metrics.histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its response, in seconds, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_DURATION_BUCKETS,
    }),
    errors: metrics.counter({
      name: 'http_request_errors_total',
      help: 'HTTP requests answered with a 5xx status code, by method and route template.',
      labelNames: ['method', 'route'],
    }),
    inFlight: metrics.gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests received and not yet answered.',
    }),
  };
}
