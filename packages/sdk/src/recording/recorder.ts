import { RecorderCore, type RecorderStats } from './core.js';
import { LlmRecorder } from './llm.js';
import type { RecorderOptions } from './options.js';
import { ToolRecorder } from './tool.js';
import { AgentRecorder } from './turn.js';

/**
 * Records what an agent does, created once per process: `vigil.llm.call(meta, fn)`,
 * `vigil.tool.call(name, fn)`, `vigil.agent.turn(meta, fn)` (and `llm.record`/`tool.record`
 * for calls made elsewhere). Each call feeds session metrics, Prometheus, cost and budgets,
 * log events, OpenTelemetry GenAI spans and the invocation log. Recording never throws into
 * the agent; the wrapped functions' own errors are rethrown unchanged.
 */
export class Recorder {
  /** LLM calls. */
  readonly llm: LlmRecorder;
  /** Tool calls. */
  readonly tool: ToolRecorder;
  /** Agent turns. */
  readonly agent: AgentRecorder;
  readonly #core: RecorderCore;

  constructor(options: RecorderOptions = {}) {
    this.#core = new RecorderCore(options);
    this.llm = new LlmRecorder(this.#core);
    this.tool = new ToolRecorder(this.#core);
    this.agent = new AgentRecorder(this.#core);
  }

  /** True when OpenTelemetry spans are made. */
  get tracing(): boolean {
    return this.#core.tracer.enabled;
  }

  /** Recording failures so far, by stage (also in `vigil_recording_errors_total`). */
  stats(): RecorderStats {
    return { errors: { ...this.#core.errors } };
  }

  /** Delivers the invocation rows queued in the sink. */
  flush(): Promise<void> {
    return this.#core.sink.flush();
  }

  /** Flushes and closes the sink, for a Shutdown hook: `shutdown.onClose('recorder', () => vigil.close())`. */
  close(): Promise<void> {
    return this.#core.close();
  }
}

/** Creates the recorder; every option has a default (see `RecorderOptions`). */
export function createRecorder(options?: RecorderOptions): Recorder {
  return new Recorder(options);
}
