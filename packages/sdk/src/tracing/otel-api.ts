import { createRequire } from 'node:module';

/** An attribute value as OpenTelemetry takes it. */
export type AttributeValue = string | number | boolean | string[];

/** The part of an OpenTelemetry `Span` Vigil uses (structural, so the SDK needs no import of @opentelemetry/api). */
export interface SpanLike {
  setAttribute(key: string, value: AttributeValue): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: { name: string; message: string }, time?: number): unknown;
  end(endTime?: number): void;
  isRecording(): boolean;
  spanContext(): { traceId: string; spanId: string };
}

/** The part of an OpenTelemetry `Tracer` Vigil uses. */
export interface TracerLike {
  startSpan(name: string, options?: { kind?: number; startTime?: number }, context?: unknown): SpanLike;
}

/** The part of an OpenTelemetry `TracerProvider` Vigil uses: a `BasicTracerProvider`, `NodeTracerProvider`, ... */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): TracerLike;
}

/** The part of `@opentelemetry/api` Vigil uses. */
export interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): TracerLike;
    setSpan(context: unknown, span: SpanLike): unknown;
  };
  context: {
    active(): unknown;
    with<R>(context: unknown, fn: () => R): R;
  };
}

/** SpanKind values of the OpenTelemetry API (a const enum there; fixed by the specification). */
export const SPAN_KIND = { INTERNAL: 0, CLIENT: 2 } as const;
/** SpanStatusCode.ERROR of the OpenTelemetry API. */
export const STATUS_ERROR = 2;

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` when it is installed, else null (looked up once). It is an optional peer:
 * without it, recording works and spans are skipped. The API keeps its state on `globalThis`, so
 * this CommonJS copy sees the provider and context manager an ESM import registered.
 */
export function loadOtelApi(): OtelApi | null {
  if (loaded !== undefined) return loaded;
  try {
    const require = createRequire(import.meta.url);
    loaded = require('@opentelemetry/api') as OtelApi;
  } catch {
    loaded = null;
  }
  return loaded;
}
