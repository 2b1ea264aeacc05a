import type { ServerResponse } from 'node:http';
import { getMetrics, type Metrics } from '../metrics.js';
import type { CounterSeries, GaugeSeries, HistogramSeries } from '../series.js';
import { SeriesCache } from '../series-cache.js';
import type { HttpFamilies } from './families.js';

/** The `route` of a request no route matched (a 404 from the framework, or a response from middleware alone). */
export const UNMATCHED_ROUTE = '__unmatched__';

/** Paths not measured unless `excludePaths` says otherwise: the probes and the scrape itself. */
export const DEFAULT_EXCLUDED_PATHS: readonly string[] = Object.freeze(['/healthz', '/readyz', '/health', '/metrics']);

/** Options shared by every framework's HTTP metrics middleware. */
export interface HttpMetricsOptions {
  /** Where to record (default: `getMetrics()`, the first `createMetrics()` result). */
  metrics?: Metrics;
  /** Request paths (exact, query string ignored) not measured at all; replaces the default list. */
  excludePaths?: readonly string[];
  /** Monotonic clock in milliseconds, for tests (default `performance.now`). */
  now?: () => number;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** The method as a label: the nine of RFC 9110 and RFC 5789 as they are, anything else `OTHER`. */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && METHODS.has(method) ? method : 'OTHER';
}

/** nginx's "client closed request": the client left before the headers were sent. */
const CLIENT_CLOSED = 499;

/** Status codes as label strings, built once (the same strings every time keep the series lookup cheap). */
const STATUS_LABELS = Array.from({ length: 600 }, (_, code) => String(code));

/** The series one method, route and status write. */
interface RouteSeries {
  requests: CounterSeries;
  duration: HistogramSeries;
  /** Only for a 5xx status. */
  errors: CounterSeries | undefined;
}

/** Most method/route/status combinations whose series a meter keeps resolved (the metrics' own limit applies anyway). */
const ROUTE_CACHE = 10_000;

/** Records the requests of one middleware instance into the HTTP RED families. */
export class RequestMeter {
  readonly #families: HttpFamilies;
  readonly #inFlight: GaugeSeries;
  readonly #routes = new SeriesCache<RouteSeries>(ROUTE_CACHE);
  readonly #excluded: ReadonlySet<string>;
  readonly #now: () => number;

  constructor(options: HttpMetricsOptions = {}) {
    this.#families = (options.metrics ?? getMetrics()).http;
    this.#inFlight = this.#families.inFlight.series();
    this.#excluded = new Set(options.excludePaths ?? DEFAULT_EXCLUDED_PATHS);
    this.#now = options.now ?? (() => performance.now());
  }

  /** True when requests to `path` (without query string) are not measured. */
  excludes(path: string): boolean {
    return this.#excluded.has(path);
  }

  /** Marks a request as in flight; pass the returned start time to `finish`. */
  start(): number {
    this.#inFlight.inc();
    return this.#now();
  }

  /** Records a finished request and takes it out of flight. */
  finish(started: number, method: string | undefined, route: string | undefined, status: number): void {
    this.#inFlight.dec();
    const series = this.#series(
      methodLabel(method),
      route === undefined || route === '' ? UNMATCHED_ROUTE : route,
      STATUS_LABELS[status] ?? String(status),
    );
    series.requests.inc();
    series.duration.observe(Math.max(0, this.#now() - started) / 1000);
    series.errors?.inc();
  }

  #series(method: string, route: string, status: string): RouteSeries {
    const found = this.#routes.get(method, route, status);
    if (found !== undefined) return found;
    const families = this.#families;
    const labels = { method, route, status };
    return this.#routes.keep(method, route, status, {
      requests: families.requests.series(labels),
      duration: families.duration.series(labels),
      errors: Number(status) >= 500 ? families.errors.series({ method, route }) : undefined,
    });
  }

  /**
   * Measures a node:http response: recorded once when it closes, after its last byte or
   * because the client went away. A client that left before the headers were sent counts
   * as status 499 (nginx's "client closed request").
   */
  track(res: ServerResponse, method: string | undefined, route: () => string | undefined): void {
    const started = this.start();
    res.once('close', () => {
      const status = res.writableFinished || res.headersSent ? res.statusCode : CLIENT_CLOSED;
      let template: string | undefined;
      try {
        template = route();
      } catch {
        template = undefined;
      }
      this.finish(started, method, template, status);
    });
  }
}
