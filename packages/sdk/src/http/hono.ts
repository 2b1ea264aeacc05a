import type { Context, MiddlewareHandler } from 'hono';
import type { ContextFields } from '../context/context.js';
import type { ProbeRequest, ProbeResponse } from '../health/routes.js';
import {
  type CorrelationOptions,
  logRequest,
  middlewareLogger,
  readCorrelation,
  runCorrelated,
} from './correlation.js';

/** Options of the Hono correlation middleware. */
export interface HonoCorrelationOptions extends CorrelationOptions {
  /** Extra context fields for a request, such as `user_id` or `channel`. */
  fields?: (c: Context) => ContextFields | undefined;
}

/** Correlation middleware for Hono: `app.use(correlation())` before the routes. */
export function correlation(options: HonoCorrelationOptions = {}): MiddlewareHandler {
  const logger = middlewareLogger(options);
  const logRequests = options.logRequests !== false;
  return async (c, next) => {
    const started = performance.now();
    const found = readCorrelation((name) => c.req.header(name), options);
    c.header(found.header, found.requestId);
    await runCorrelated(found, options.fields?.(c), logger, async () => {
      await next();
      // A handler may return its own Response: make sure it carries the id too.
      c.header(found.header, found.requestId);
      if (logRequests) {
        logRequest(logger, {
          method: c.req.method,
          path: c.req.path,
          // Only after next() is routePath the handler's template rather than this middleware's.
          route: c.req.routePath,
          status: c.res.status,
          durationMs: performance.now() - started,
        });
      }
    });
  };
}

/** Serves `/healthz`, `/readyz`, `/health` and `/metrics` on a Hono app: `app.use(probes(handle))`. */
export function probes(handle: (req: ProbeRequest) => Promise<ProbeResponse | undefined>): MiddlewareHandler {
  return async (c, next) => {
    const response = await handle({ method: c.req.method, path: c.req.path, headers: c.req.header() });
    if (response === undefined) return next();
    return new Response(c.req.method === 'HEAD' ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  };
}

export { type HonoHttpMetricsOptions, honoMetrics } from '../metrics/red/hono.js';
