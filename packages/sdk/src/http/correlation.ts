import { type ContextFields, context, type TraceContext } from '../context/context.js';
import { newRequestId, newTrace, parseTraceparent, requestIdProblem } from '../context/ids.js';
import { getLogger, type Logger } from '../log/logger.js';

/** Options shared by every framework's correlation middleware. */
export interface CorrelationOptions {
  /** Request id header, in and out (default `x-request-id`). */
  header?: string;
  /** Longest incoming id kept as it is (default 128). */
  maxLength?: number;
  /** Makes ids for requests that came without a usable one (default: random UUID). */
  generateId?: () => string;
  /** Logger for the rejected-id warning and request lines (default: the SDK's default logger). */
  logger?: Logger;
  /** Log one `http.request.completed` line per request (default true). */
  logRequests?: boolean;
}

/** What the middleware worked out for one request. */
export interface Correlation {
  readonly requestId: string;
  readonly trace: TraceContext;
  /** Why the incoming id was replaced, when it was. */
  readonly rejected: string | undefined;
  readonly header: string;
}

/** Reads one request header; undefined when absent (first value when repeated). */
export type HeaderReader = (name: string) => string | string[] | undefined;

/** Works out the request id and trace position from the incoming headers. */
export function readCorrelation(read: HeaderReader, options: CorrelationOptions = {}): Correlation {
  const header = (options.header ?? 'x-request-id').toLowerCase();
  const incoming = first(read(header));
  let requestId: string | undefined;
  let rejected: string | undefined;
  if (incoming !== undefined) {
    rejected = requestIdProblem(incoming, options.maxLength);
    if (rejected === undefined) requestId = incoming;
  }
  requestId ??= (options.generateId ?? newRequestId)();
  const trace = parseTraceparent(first(read('traceparent')), first(read('tracestate'))) ?? newTrace();
  return { requestId, trace, rejected, header };
}

/**
 * Runs `fn` inside the request's context; when the incoming id was refused, the warning is
 * written inside it too, so it carries the new id.
 */
export function runCorrelated<T>(
  correlation: Correlation,
  fields: ContextFields | undefined,
  logger: Logger,
  fn: () => T,
): T {
  return context.run(
    { ...fields, correlation_id: correlation.requestId },
    () => {
      if (correlation.rejected !== undefined) {
        logger.event(
          'http.request_id.rejected',
          { header: correlation.header, reason: correlation.rejected },
          `incoming ${correlation.header} refused (${correlation.rejected}); using a new id`,
        );
      }
      return fn();
    },
    correlation.trace,
  );
}

/** One finished request, as the request line reports it. */
export interface RequestOutcome {
  method: string;
  path: string;
  route?: string | undefined;
  status: number;
  durationMs: number;
}

/** Writes the request line: `http.request.completed`, or `http.request.failed` for 5xx. */
export function logRequest(logger: Logger, outcome: RequestOutcome): void {
  const fields: Record<string, unknown> = { method: outcome.method, path: outcome.path };
  if (outcome.route !== undefined) fields.route = outcome.route;
  fields.status = outcome.status;
  fields.duration_ms = Math.round(outcome.durationMs * 1000) / 1000;
  const event = outcome.status >= 500 ? 'http.request.failed' : 'http.request.completed';
  logger.event(event, fields, `${outcome.method} ${outcome.route ?? outcome.path} ${outcome.status}`);
}

/** The logger a middleware uses: the given one, or the SDK default, as an `http` module child. */
export function middlewareLogger(options: CorrelationOptions): Logger {
  return (options.logger ?? getLogger()).module('http');
}

/** The path of a request target without its query string (which may hold secrets). */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
