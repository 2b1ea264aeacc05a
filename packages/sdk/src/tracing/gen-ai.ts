import {
  type AttributeValue,
  loadOtelApi,
  type OtelApi,
  SPAN_KIND,
  type SpanLike,
  STATUS_ERROR,
  type TracerLike,
  type TracerProviderLike,
} from './otel-api.js';

/** Attribute names of the OpenTelemetry GenAI semantic conventions that Vigil sets. */
export const GEN_AI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  AGENT_NAME: 'gen_ai.agent.name',
  AGENT_ID: 'gen_ai.agent.id',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_TYPE: 'gen_ai.tool.type',
  ERROR_TYPE: 'error.type',
} as const;

/** Vigil's own span attributes (outside the `gen_ai.*` namespace, which belongs to the conventions). */
export const VIGIL_ATTR = {
  COST_USD: 'vigil.cost_usd',
  TASK_TYPE: 'vigil.task_type',
  INVOCATION_ID: 'vigil.invocation.id',
} as const;

/** How Vigil makes spans: `false` for none; by default the global provider of @opentelemetry/api, when installed. */
export type TracingOption = false | { tracerProvider?: TracerProviderLike };

const TRACER_NAME = '@vigil/sdk';

/** Attributes to set on a span. */
export type SpanAttributes = Record<string, AttributeValue | undefined | null>;

/**
 * Makes the GenAI spans (`invoke_agent`, `chat`, `execute_tool`) through @opentelemetry/api,
 * nested through the API's active context (OpenTelemetry's own AsyncLocalStorage). Without the
 * API, or with `tracing: false`, every method is a cheap no-op.
 */
export class GenAiTracer {
  readonly #api: OtelApi | null;
  readonly #tracer: TracerLike | null;

  /** `api` is for tests: null stands for @opentelemetry/api not installed. */
  constructor(option?: TracingOption, api: OtelApi | null = loadOtelApi()) {
    this.#api = option === false ? null : api;
    const provider = option === false ? undefined : option?.tracerProvider;
    this.#tracer = this.#api === null ? null : (provider ?? this.#api.trace).getTracer(TRACER_NAME);
  }

  /** True when spans can be made (the API is installed and tracing is not off). */
  get enabled(): boolean {
    return this.#tracer !== null;
  }

  /** Starts a span under the active one: `kind` is `client` for calls leaving the process. */
  start(name: string, kind: 'client' | 'internal', attributes: SpanAttributes, startTime?: number): SpanLike | null {
    if (this.#tracer === null || this.#api === null) return null;
    const span = this.#tracer.startSpan(
      name,
      { kind: kind === 'client' ? SPAN_KIND.CLIENT : SPAN_KIND.INTERNAL, startTime },
      this.#api.context.active(),
    );
    if (span.isRecording()) setAttributes(span, attributes);
    return span;
  }

  /** Runs `fn` with `span` active, so spans started inside (an HTTP client's, a nested call's) are its children. */
  run<T>(span: SpanLike | null, fn: () => T): T {
    if (span === null || this.#api === null) return fn();
    return this.#api.context.with(this.#api.trace.setSpan(this.#api.context.active(), span), fn);
  }
}

/** Sets the attributes that have a value. */
export function setAttributes(span: SpanLike, attributes: SpanAttributes): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined && value !== null) span.setAttribute(key, value);
  }
}

/** Marks `span` failed: `error.type`, an ERROR status and the exception (its message already redacted). */
export function failSpan(span: SpanLike, errorType: string, name: string, message: string): void {
  span.setAttribute(GEN_AI.ERROR_TYPE, errorType);
  span.setStatus({ code: STATUS_ERROR, message: errorType });
  span.recordException({ name, message });
}
