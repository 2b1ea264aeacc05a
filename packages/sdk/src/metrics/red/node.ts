import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf } from '../../http/correlation.js';
import type { NodeMiddleware } from '../../http/node.js';
import { type HttpMetricsOptions, RequestMeter } from './core.js';
import { routeMatcher } from './routes.js';

/** Options of the node:http / connect HTTP metrics middleware. */
export interface NodeHttpMetricsOptions extends HttpMetricsOptions {
  /**
   * The route template of a request, asked once its response has closed (so a handler may
   * leave it on `req`). Return undefined when none applies: the request counts as `__unmatched__`.
   */
  route?: (req: IncomingMessage) => string | undefined;
  /**
   * Route templates matched against the path when `route` gives none: `/items/:id`,
   * `/files/*`, `/healthz`. A path matching none counts as `__unmatched__`, never as itself.
   */
  routes?: readonly string[];
}

type ConnectRequest = IncomingMessage & { originalUrl?: string };

/**
 * HTTP RED metrics for node:http and connect-style apps: `http_requests_total`,
 * `http_request_duration_seconds`, `http_request_errors_total`, `http_requests_in_flight`.
 *
 * node:http has no router, so it cannot know route templates: give them with `routes` (or
 * `route`). Without either, every request counts as `__unmatched__` by method and status,
 * because the raw path is never a label (a 404 scanner would make a series per URL).
 */
export function httpMetrics(options: NodeHttpMetricsOptions = {}): NodeMiddleware {
  const meter = new RequestMeter(options);
  const route = options.route;
  const match = options.routes === undefined ? undefined : routeMatcher(options.routes);
  return (req, res, next) => {
    const path = pathOf((req as ConnectRequest).originalUrl ?? req.url);
    if (!meter.excludes(path)) {
      meter.track(res, req.method, () => route?.(req) ?? match?.(path));
    }
    next?.();
  };
}

/** Wraps a node:http request listener so its requests are measured. */
export function withHttpMetrics(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: NodeHttpMetricsOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const middleware = httpMetrics(options);
  return (req, res) => middleware(req, res, () => handler(req, res));
}
