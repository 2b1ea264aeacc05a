// OpenTelemetry GenAI spans, made through @opentelemetry/api when it is installed (an optional peer).
export {
  failSpan,
  GEN_AI,
  GenAiTracer,
  type SpanAttributes,
  setAttributes,
  type TracingOption,
  VIGIL_ATTR,
} from './gen-ai.js';
export {
  type AttributeValue,
  loadOtelApi,
  type OtelApi,
  type SpanLike,
  type TracerLike,
  type TracerProviderLike,
} from './otel-api.js';
