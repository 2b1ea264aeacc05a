export {
  AgentMetrics,
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_BUCKETS,
  type InvocationStatus,
  type LlmCall,
  type LlmErrorType,
  type ToolCallStatus,
} from './agent.js';
export { BoundedCounter, BoundedGauge, BoundedHistogram, type Labels } from './bounded.js';
export { CONTENT_TYPES, type ExpositionFormat, negotiateFormat } from './exposition/negotiate.js';
export { renderMetrics, renderMetricsJson } from './exposition/render.js';
export {
  type ExpositionOptions,
  type MetricsHandlerOptions,
  type MetricsResponse,
  type MetricsSource,
  metricsHandler,
  metricsJsonResponse,
  metricsResponse,
} from './exposition/respond.js';
export {
  type AnyRegistry,
  createMetrics,
  type DefaultMetricsOptions,
  getMetrics,
  type HistogramConfig,
  type MetricConfig,
  Metrics,
  type MetricsOptions,
  setDefaultMetrics,
} from './metrics.js';
export { DEFAULT_EXCLUDED_PATHS, type HttpMetricsOptions, RequestMeter, UNMATCHED_ROUTE } from './red/core.js';
export { type ExpressHttpMetricsOptions, expressMetrics, expressRoute } from './red/express.js';
export { HTTP_DURATION_BUCKETS, type HttpFamilies } from './red/families.js';
export { httpMetrics, type NodeHttpMetricsOptions, withHttpMetrics } from './red/node.js';
