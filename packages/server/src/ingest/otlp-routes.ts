import type { Logger } from '@vigil/sdk';
import type { LogStore, SpanStore } from '@vigil/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Admission } from './admission.js';
import { Refused, readBody } from './body.js';
import type { IngestHealth } from './health.js';
import type { IngestLimits } from './limits.js';
import {
  contentTypeOf,
  decodeRequest,
  encodeResponse,
  encodeStatus,
  encodingOf,
  type OtlpEncoding,
  type Signal,
} from './otlp/codec.js';
import { logsOf } from './otlp/logs.js';
import { countDataPoints, type OtlpSampleSink, writeMetrics } from './otlp/metrics.js';
import { spansOf } from './otlp/traces.js';
import { BadPayload, type ValueLimits } from './otlp/values.js';
import { writeAll } from './write.js';

/** What the OTLP routes need, already resolved by `ingestRoutes`. */
export interface OtlpRouteParts {
  store: { logs: LogStore; spans: SpanStore };
  samples: OtlpSampleSink | undefined;
  limits: IngestLimits;
  admission: Admission;
  health: IngestHealth;
  logger: Logger | undefined;
  now: () => number;
  /** Called once per request with what it came to (never throws into the route). */
  observe: (outcome: IngestOutcome) => void;
}

/** What handling one request produced: the records refused and why. */
interface Outcome {
  accepted: number;
  rejected: number;
  errors: string[];
}

/** What one ingest request came to, for the service's own metrics. */
export interface IngestOutcome {
  /** `traces`, `logs`, `metrics`, `invocations`, `audit` or `ndjson`. */
  route: string;
  /** The HTTP status answered. */
  status: number;
  /** Records stored (or already stored: a retry). */
  accepted: number;
  /** Records refused one by one (partial success). */
  rejected: number;
}

/** OTLP/HTTP receivers: POST /v1/traces, /v1/logs and (with a sample sink) /v1/metrics. */
export function otlpRoutes(app: FastifyInstance, parts: OtlpRouteParts): void {
  const { limits } = parts;
  const values: ValueLimits = limits;
  const tooMany = (n: number, what: string) => {
    if (n > limits.maxRecordsPerRequest) {
      throw new Refused(
        413,
        `the request holds ${n} ${what}, more than the limit of ${limits.maxRecordsPerRequest} per request`,
      );
    }
  };

  const handlers: Record<Signal, (request: Record<string, unknown>) => Promise<Outcome>> = {
    traces: async (request) => {
      const { records, rejected, errors } = spansOf(request, values);
      tooMany(records.length + rejected, 'spans');
      const written = await writeAll(records, (batch) => parts.store.spans.insertBatch(batch));
      return {
        accepted: written.inserted + written.duplicates,
        rejected: rejected + written.rejected,
        errors: [...errors, ...written.errors],
      };
    },
    logs: async (request) => {
      const { records, rejected, errors } = logsOf(request, values, parts.now);
      tooMany(records.length + rejected, 'log records');
      const written = await writeAll(records, (batch) => parts.store.logs.insertBatch(batch));
      return {
        accepted: written.inserted + written.duplicates,
        rejected: rejected + written.rejected,
        errors: [...errors, ...written.errors],
      };
    },
    metrics: async (request) => {
      tooMany(countDataPoints(request), 'data points');
      const sink = parts.samples;
      if (sink === undefined) throw new Refused(503, 'no metric storage is configured');
      const written = writeMetrics(request, sink, values);
      return { accepted: written.samples, rejected: written.rejected, errors: written.errors };
    },
  };

  const route = (signal: Signal) => async (req: FastifyRequest, reply: FastifyReply) => {
    let encoding: OtlpEncoding = 'json';
    let release: (() => void) | undefined;
    try {
      release = parts.admission.enter(Number(req.headers['content-length']));
      encoding = encodingOf(req.headers['content-type']);
      const body = await readBody(req.raw, limits);
      const outcome = await handlers[signal](decodeRequest(signal, encoding, body));
      if (signal !== 'metrics') parts.health.succeeded();
      parts.observe({ route: signal, status: 200, accepted: outcome.accepted, rejected: outcome.rejected });
      return reply
        .code(200)
        .header('content-type', contentTypeOf(encoding))
        .send(encodeResponse(signal, encoding, outcome.rejected, outcome.errors.join('; ')));
    } catch (err) {
      const { status, message, retryAfter } = failureOf(err, parts, limits);
      if (status >= 500) parts.logger?.error({ err, signal }, `OTLP ${signal} request failed`);
      if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
      parts.observe({ route: signal, status, accepted: 0, rejected: 0 });
      return reply
        .code(status)
        .header('content-type', contentTypeOf(encoding))
        .send(encodeStatus(encoding, status, message));
    } finally {
      release?.();
    }
  };

  app.post('/v1/traces', route('traces'));
  app.post('/v1/logs', route('logs'));
  if (parts.samples !== undefined) app.post('/v1/metrics', route('metrics'));
}

/** The HTTP answer for an error of ingest: 400 bad payload, 413/415/429 refused, 503 store failing, 500 otherwise. */
export function failureOf(
  err: unknown,
  parts: Pick<OtlpRouteParts, 'health'>,
  limits: IngestLimits,
): { status: number; message: string; retryAfter?: number } {
  if (err instanceof Refused) {
    return err.retryAfter === undefined
      ? { status: err.status, message: err.message }
      : { status: err.status, message: err.message, retryAfter: err.retryAfter };
  }
  if (err instanceof BadPayload) return { status: 400, message: err.message };
  if (parts.health.failed(err)) {
    return {
      status: 503,
      message: `the record store cannot take writes now: ${(err as Error).message}`,
      retryAfter: limits.retryAfterSeconds,
    };
  }
  return { status: 500, message: 'internal error while storing the request' };
}
