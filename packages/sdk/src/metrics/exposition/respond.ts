import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry, RegistryContentType } from 'prom-client';
import { getLogger, type Logger } from '../../log/logger.js';
import { Metrics } from '../metrics.js';
import { CONTENT_TYPES, negotiateFormat } from './negotiate.js';
import { renderMetrics, renderMetricsJson } from './render.js';

/** An HTTP answer any framework can send: status, headers and body. */
export interface MetricsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What to expose: Vigil's metrics or any prom-client registry. */
export type MetricsSource = Metrics | Registry<RegistryContentType>;

/** Options of the exposition functions. */
export interface ExpositionOptions {
  /** Where a failed collection is logged (default: the SDK's default logger). */
  logger?: Logger;
}

/**
 * The answer to `GET /metrics`: Prometheus text 0.0.4, or OpenMetrics 1.0.0 when `accept`
 * prefers it. A metric whose collection throws yields a 500 and an error log, never a throw.
 */
export async function metricsResponse(
  source: MetricsSource,
  accept: string | null | undefined,
  options: ExpositionOptions = {},
): Promise<MetricsResponse> {
  const format = negotiateFormat(accept);
  try {
    const body = await renderMetrics(registryOf(source), format);
    return { status: 200, headers: { 'content-type': CONTENT_TYPES[format], vary: 'Accept' }, body };
  } catch (error) {
    return failed(error, options);
  }
}

/** The registry as JSON (prom-client's `getMetricsAsJSON`), for an admin view. */
export async function metricsJsonResponse(
  source: MetricsSource,
  options: ExpositionOptions = {},
): Promise<MetricsResponse> {
  try {
    const body = await renderMetricsJson(registryOf(source));
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
  } catch (error) {
    return failed(error, options);
  }
}

/** Options of the node:http handler. */
export interface MetricsHandlerOptions extends ExpositionOptions {
  /** Answer with the JSON view instead of the text formats (put it behind admin auth). */
  json?: boolean;
}

/**
 * A node:http request listener (or connect/Express handler) serving the metrics: `GET` and
 * `HEAD` only, 405 otherwise. Mount it on `/metrics`; routing and auth are the app's.
 */
export function metricsHandler(
  source: MetricsSource,
  options: MetricsHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, {
        status: 405,
        headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
        body: 'method not allowed\n',
      });
      return;
    }
    const answer = options.json
      ? metricsJsonResponse(source, options)
      : metricsResponse(source, req.headers.accept, options);
    void answer.then((response) => send(res, response));
  };
}

function send(res: ServerResponse, response: MetricsResponse): void {
  res.writeHead(response.status, {
    ...response.headers,
    'content-length': String(Buffer.byteLength(response.body)),
  });
  res.end(response.body);
}

function registryOf(source: MetricsSource): Registry<RegistryContentType> {
  return source instanceof Metrics ? source.registry : source;
}

function failed(error: unknown, options: ExpositionOptions): MetricsResponse {
  (options.logger ?? getLogger()).module('metrics').error({ err: error }, 'metrics collection failed');
  return {
    status: 500,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'metrics collection failed; see the service log\n',
  };
}
