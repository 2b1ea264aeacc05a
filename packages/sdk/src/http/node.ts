import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ContextFields, context } from '../context/context.js';
import {
  type CorrelationOptions,
  logRequest,
  middlewareLogger,
  pathOf,
  readCorrelation,
  runCorrelated,
} from './correlation.js';

export type { CorrelationOptions } from './correlation.js';

/** Options of the node:http / connect middleware. */
export interface NodeCorrelationOptions extends CorrelationOptions {
  /** Extra context fields for a request, such as `user_id` or `channel`. */
  fields?: (req: IncomingMessage) => ContextFields | undefined;
  /** The route template of a finished request, for the request line (default: none, the path is logged). */
  route?: (req: IncomingMessage) => string | undefined;
}

/** A connect-style middleware: `(req, res, next)`. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/**
 * Correlation for node:http and connect-style apps: keeps a well-formed incoming
 * `X-Request-ID` (else makes one and warns), reads `traceparent`, runs the rest of the
 * request in that context and returns `X-Request-ID` on the response.
 */
export function correlation(options: NodeCorrelationOptions = {}): NodeMiddleware {
  const logger = middlewareLogger(options);
  const logRequests = options.logRequests !== false;
  return (req, res, next) => {
    const started = performance.now();
    const found = readCorrelation((name) => req.headers[name], options);
    res.setHeader(found.header, found.requestId);
    runCorrelated(found, options.fields?.(req), logger, () => {
      if (logRequests) {
        // 'finish' is emitted from the socket's context, not the request's: bind it here.
        res.once(
          'finish',
          context.bind(() =>
            logRequest(logger, {
              method: req.method ?? 'GET',
              path: pathOf(req.url),
              route: options.route?.(req),
              status: res.statusCode,
              durationMs: performance.now() - started,
            }),
          ),
        );
      }
      next?.();
    });
  };
}

/** Wraps a node:http request listener so each request runs in its own correlated context. */
export function withCorrelation(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: NodeCorrelationOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const middleware = correlation(options);
  return (req, res) => middleware(req, res, () => handler(req, res));
}

export { httpMetrics, type NodeHttpMetricsOptions, withHttpMetrics } from '../metrics/red/node.js';
export { probes } from './probes.js';
