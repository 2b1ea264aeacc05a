import { context } from '../context/context.js';
import type { InvocationStatus } from '../metrics/agent.js';
import { failSpan, GEN_AI } from '../tracing/gen-ai.js';
import type { SpanLike } from '../tracing/otel-api.js';
import type { RecorderCore } from './core.js';
import { errorTypeOf, statusOfErrorType } from './error-type.js';
import type { TurnMeta } from './options.js';

/** Agent turns: an `invoke_agent` span around the LLM and tool calls of one turn. */
export class AgentRecorder {
  readonly #core: RecorderCore;

  constructor(core: RecorderCore) {
    this.#core = core;
  }

  /**
   * Runs one agent turn `fn` under an `invoke_agent {agent}` span, with `sessionId` in the
   * context so the calls inside are counted to that session. Counts the invocation
   * (`vigil_agent_invocations_total{status}`) and, when it succeeds, the turn (metrics and
   * session). Returns or rethrows what `fn` does, unchanged.
   */
  async turn<T>(meta: TurnMeta, fn: () => T | Promise<T>): Promise<T> {
    const core = this.#core;
    meta ??= {};
    const agent = meta.agent ?? core.agent;
    let span: SpanLike | null = null;
    try {
      if (core.tracer.enabled) {
        span = core.tracer.start(`invoke_agent ${agent}`, 'internal', {
          [GEN_AI.OPERATION_NAME]: 'invoke_agent',
          [GEN_AI.AGENT_NAME]: agent,
          [GEN_AI.AGENT_ID]: meta.agentId,
          [GEN_AI.CONVERSATION_ID]: meta.sessionId,
          [GEN_AI.PROVIDER_NAME]: meta.provider,
          [GEN_AI.REQUEST_MODEL]: meta.model,
        });
      }
    } catch (error) {
      core.failed('turn', error);
    }
    const inSession = meta.sessionId === undefined ? fn : () => context.run({ session_id: meta.sessionId }, fn);
    try {
      const result = await core.tracer.run(span, inSession);
      this.#finish(meta, agent, span, undefined);
      return result;
    } catch (error) {
      this.#finish(meta, agent, span, error ?? new Error('turn failed'));
      throw error;
    }
  }

  #finish(meta: TurnMeta, agent: string, span: SpanLike | null, error: unknown): void {
    const core = this.#core;
    try {
      const errorType = error === undefined ? undefined : errorTypeOf(error);
      const status: InvocationStatus = errorType === undefined ? 'ok' : statusOfErrorType(errorType);
      core.metrics?.agent.recordInvocation({ agent, status });
      if (status === 'ok') {
        core.metrics?.agent.recordTurn({ agent });
        if (meta.sessionId !== undefined)
          core.sessions?.completeTurn({ preferAppId: core.app, sessionId: meta.sessionId });
      } else {
        core.log().event('agent.failed', {
          agent,
          session_id: meta.sessionId,
          error_type: errorType,
          error: core.summary(error),
        });
      }
      if (span !== null) {
        if (errorType !== undefined && span.isRecording()) {
          failSpan(span, errorType, error instanceof Error ? error.name : 'Error', core.summary(error));
        }
        span.end();
      }
    } catch (failure) {
      core.failed('turn', failure);
    }
  }
}
