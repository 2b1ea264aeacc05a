import type { IncomingMessage } from 'node:http';
import type { NodeMiddleware } from '../../http/node.js';
import type { HttpMetricsOptions } from './core.js';
import { httpMetrics } from './node.js';

/** Options of the Express HTTP metrics middleware. */
export interface ExpressHttpMetricsOptions extends HttpMetricsOptions {
  /** Overrides the route template Express matched (see `expressRoute`). */
  route?: (req: IncomingMessage) => string | undefined;
}

interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * The route template Express matched, once the response finished: `req.baseUrl` +
 * `req.route.path` (`/v1/sessions/:sessionId/messages`). Undefined when no route answered
 * (a 404, or middleware such as static files). A router mounted on a pattern
 * (`app.use('/users/:id', router)`) puts the matched path, not the pattern, in
 * `req.baseUrl`: mount routers on fixed paths, or pass `route`.
 */
export function expressRoute(req: IncomingMessage): string | undefined {
  const { baseUrl, route } = req as ExpressRequest;
  const path = route?.path;
  if (path === undefined || path === null) return undefined;
  return `${baseUrl ?? ''}${typeof path === 'string' ? path : String(path)}`;
}

/**
 * HTTP RED metrics for Express: `app.use(expressMetrics())` before the routes (Express runs
 * middleware in order, so routes registered earlier are not measured).
 */
export function expressMetrics(options: ExpressHttpMetricsOptions = {}): NodeMiddleware {
  return httpMetrics({ ...options, route: options.route ?? expressRoute });
}
