import type { ToolCallStatus } from '../metrics/agent.js';
import { failSpan, GEN_AI } from '../tracing/gen-ai.js';
import type { SpanLike } from '../tracing/otel-api.js';
import { badDuration, type RecorderCore, text, validDuration } from './core.js';
import { errorTypeOf, statusOfErrorType } from './error-type.js';
import type { ToolCallMeta, ToolCallResult } from './options.js';

/** Tool calls: `call` wraps one under an `execute_tool` span; `record` takes one already made. Neither throws. */
export class ToolRecorder {
  readonly #core: RecorderCore;

  constructor(core: RecorderCore) {
    this.#core = core;
  }

  /** Records a finished tool call. */
  record(call: ToolCallResult): void {
    try {
      if (!validDuration(call.durationMs)) throw badDuration('tool.record', call.durationMs);
      const endedAt = this.#core.now();
      const span = this.#core.tracer.enabled ? this.#startSpan(call.name, call, endedAt - call.durationMs) : null;
      this.#finish(call, span, endedAt);
    } catch (error) {
      this.#core.failed('tool', error);
    }
  }

  /** Runs the tool `fn` under an `execute_tool {name}` span and records it; returns or rethrows what `fn` does, unchanged. */
  async call<T>(name: string, fn: () => T | Promise<T>, meta: ToolCallMeta = {}): Promise<T> {
    const core = this.#core;
    const startedAt = core.now();
    const t0 = core.clock();
    let span: SpanLike | null = null;
    try {
      if (core.tracer.enabled) span = this.#startSpan(name, meta, startedAt);
    } catch (error) {
      core.failed('tool', error);
    }
    try {
      const result = await core.tracer.run(span, fn);
      this.#safeFinish({ ...meta, name, durationMs: core.clock() - t0 }, span, startedAt);
      return result;
    } catch (error) {
      this.#safeFinish({ ...meta, name, durationMs: core.clock() - t0, error }, span, startedAt);
      throw error;
    }
  }

  #safeFinish(call: ToolCallResult, span: SpanLike | null, startedAt: number): void {
    try {
      this.#finish(call, span, startedAt + call.durationMs);
    } catch (error) {
      this.#core.failed('tool', error);
    }
  }

  #startSpan(name: string, meta: ToolCallMeta, startedAt: number): SpanLike | null {
    return this.#core.tracer.start(
      `execute_tool ${name}`,
      'internal',
      {
        [GEN_AI.OPERATION_NAME]: 'execute_tool',
        [GEN_AI.TOOL_NAME]: name,
        [GEN_AI.TOOL_CALL_ID]: meta.callId,
        [GEN_AI.TOOL_TYPE]: meta.type ?? 'function',
        [GEN_AI.CONVERSATION_ID]: text(meta.sessionId) ?? text(this.#core.scope().session_id),
      },
      startedAt,
    );
  }

  #finish(call: ToolCallResult, span: SpanLike | null, endedAt: number): void {
    const core = this.#core;
    const failed = call.error !== undefined;
    const errorType = failed ? errorTypeOf(call.error) : undefined;
    const status: ToolCallStatus = errorType === undefined ? 'ok' : statusOfErrorType(errorType);
    const sessionId = text(call.sessionId) ?? text(core.scope().session_id);
    const agent = call.agent ?? core.agent;
    if (sessionId !== undefined && core.sessions !== undefined) {
      core.sessions.recordToolCall(
        { preferAppId: core.app, sessionId },
        {
          tool: call.name,
          ok: !failed,
          durationMs: call.durationMs,
          error: call.error,
        },
      );
    }
    core.metrics?.agent.recordToolCall({ agent, tool: call.name, status });
    const error = failed ? core.summary(call.error) : undefined;
    if (span !== null) {
      if (errorType !== undefined && span.isRecording()) {
        failSpan(span, errorType, call.error instanceof Error ? call.error.name : 'Error', error ?? errorType);
      }
      span.end(endedAt);
    }
    const fields = { tool: call.name, duration_ms: call.durationMs, status, session_id: sessionId };
    if (errorType === undefined) core.log().event('tool.call.completed', fields);
    else core.log().event('tool.call.failed', { ...fields, error_type: errorType, error });
  }
}
