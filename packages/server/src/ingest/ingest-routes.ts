import type { Logger } from '@vigil/sdk';
import type { AuditStore, InvocationStore, LogStore, SpanStore } from '@vigil/store';
import type { FastifyInstance } from 'fastify';
import { Admission } from './admission.js';
import { IngestHealth } from './health.js';
import { type IngestLimits, ingestLimits } from './limits.js';
import type { OtlpSampleSink } from './otlp/metrics.js';
import { type IngestOutcome, otlpRoutes } from './otlp-routes.js';
import { recordRoutes } from './record-routes.js';

/** The record stores ingest writes to: a `SqliteStore` from `@vigil/store/sqlite` is one. */
export interface IngestStore {
  logs: LogStore;
  spans: SpanStore;
  invocations: InvocationStore;
  audit: AuditStore;
}

/** Options of `ingestRoutes`. */
export interface IngestOptions {
  store: IngestStore;
  /** Where OTLP metrics go (the TSDB); without one, /v1/metrics is not served. */
  samples?: OtlpSampleSink;
  /** Logs 5xx answers (never the payload). */
  logger?: Logger;
  limits?: Partial<IngestLimits>;
  /** Shared with the readiness check (`health.check(store)`); one is made when absent. */
  health?: IngestHealth;
  /** The clock for records without a time. */
  now?: () => number;
  /** Called once per ingest request with its route, status and record counts (for the service's metrics); errors it throws are ignored. */
  onOutcome?: (outcome: IngestOutcome) => void;
}

/**
 * Registers the ingest routes: OTLP/HTTP (`/v1/traces`, `/v1/logs`, `/v1/metrics`) and the SDK's
 * sinks (`/api/vigil/ingest/invocations`, `/audit`, `/logs`). Bodies are read by these routes
 * (size limits, gzip) in their own encapsulated scope, so other routes' parsers are untouched.
 */
export async function ingestRoutes(app: FastifyInstance, options: IngestOptions): Promise<void> {
  const limits = ingestLimits(options.limits);
  const parts = {
    limits,
    admission: new Admission(limits),
    health: options.health ?? new IngestHealth(),
    logger: options.logger,
    now: options.now ?? Date.now,
    observe: (outcome: IngestOutcome) => {
      try {
        options.onOutcome?.(outcome);
      } catch {
        // A metrics callback never fails a request.
      }
    },
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The handlers read the raw body themselves, within the limits; nothing is buffered before.
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    otlpRoutes(scope, { ...parts, store: options.store, samples: options.samples });
    recordRoutes(scope, { ...parts, store: options.store });
  });
}
