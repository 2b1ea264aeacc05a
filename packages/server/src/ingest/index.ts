// What the service wires: the ingest plugin, its limits and its readiness check.
export { IngestHealth, type IngestReadiness, isStoreFailure } from './health.js';
export { type IngestOptions, type IngestStore, ingestRoutes } from './ingest-routes.js';
export { DEFAULT_INGEST_LIMITS, type IngestLimits, ingestLimits } from './limits.js';
export type { OtlpSampleSink } from './otlp/metrics.js';
export type { IngestOutcome } from './otlp-routes.js';
