import type { Context, MiddlewareHandler } from 'hono';
import { type HttpMetricsOptions, RequestMeter, UNMATCHED_ROUTE } from './core.js';

/** Options of the Hono HTTP metrics middleware. */
export type HonoHttpMetricsOptions = HttpMetricsOptions;

/**
 * HTTP RED metrics for Hono: `app.use(honoMetrics())` before the routes. The duration runs
 * until the handler returns its Response (a streamed body may still be flowing).
 */
export function honoMetrics(options: HonoHttpMetricsOptions = {}): MiddlewareHandler {
  const meter = new RequestMeter(options);
  return async (c, next) => {
    if (meter.excludes(c.req.path)) return next();
    const started = meter.start();
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      meter.finish(started, c.req.method, honoRoute(c, status), status);
    }
  };
}

/**
 * The handler's route template. Read after `next()`: before it, `routePath` is this
 * middleware's own pattern (honojs/hono#3876). When the chain ran out and Hono's not-found
 * handler answered, the last route that ran is a middleware (`app.use`: method `ALL`, takes
 * `next`), so a 404 from one is unmatched.
 */
function honoRoute(c: Context, status: number): string {
  const last = c.req.matchedRoutes[c.req.routeIndex];
  if (last === undefined) return UNMATCHED_ROUTE;
  if (status === 404 && last.method === 'ALL' && last.handler.length >= 2) return UNMATCHED_ROUTE;
  return last.path;
}
