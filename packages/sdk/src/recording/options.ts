import type { Budgets } from '../cost/budgets.js';
import type { CostMeter } from '../cost/cost-meter.js';
import type { TokenUsage } from '../cost/types.js';
import type { InvocationRow } from '../invocations/row.js';
import type { InvocationSink } from '../invocations/sink.js';
import type { Logger } from '../log/logger.js';
import type { Redactor } from '../log/redact.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { TracingOption } from '../tracing/gen-ai.js';
import type { ResponseFacts } from './response.js';

/** Options of `createRecorder`; every one has a default. */
export interface RecorderOptions {
  /** `app_id` of invocation rows, budgets and sessions (default: the `sessions` registry's `appId`, else `VIGIL_SERVICE`, else `app`). */
  app?: string;
  /** The agent name of metrics and `invoke_agent` spans (default: `app`). */
  agent?: string;
  /** The provider of calls that give none (default `unknown`). */
  provider?: string;
  /** Where `llm.call.*` and `tool.call.*` events go (default: the SDK's logger, resolved when first needed). */
  logger?: Logger;
  /** Where `vigil_agent_*` and `gen_ai_client_*` are recorded (default: the SDK's default metrics); false for none. */
  metrics?: Metrics | false;
  /** Per-session metrics; calls with a session id are added to it (default none). */
  sessions?: SessionRegistry;
  /** Prices calls (default: a CostMeter with the shipped prices); false for no cost. */
  costs?: CostMeter | false;
  /** Spending limits every priced call is added to (default none). */
  budgets?: Budgets;
  /**
   * Where invocation rows go. Default: the Vigil service at `VIGIL_URL` (`createHttpSink` to its
   * `/api/vigil/ingest/invocations`, with `VIGIL_ADMIN_TOKEN`) when set; else the SQLite file
   * `$VIGIL_DATA_DIR/vigil.db` (`./.vigil-data/vigil.db` when unset) through @vigil/store when
   * that package is installed; else nowhere. An info line says which.
   */
  sink?: InvocationSink;
  /** Whether @vigil/store is installed, for the default sink (default: resolved once, not loaded); for tests. */
  storeInstalled?: () => boolean;
  /** Environment to read `VIGIL_SERVICE`, `VIGIL_URL`, `VIGIL_ADMIN_TOKEN` and `VIGIL_DATA_DIR` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** OpenTelemetry spans: the global provider of @opentelemetry/api by default (when installed), a given one, or false. */
  tracing?: TracingOption;
  /** Hides secrets in error summaries (default: the SDK's built-in rules). */
  redactor?: Redactor;
  /** Called with every invocation row; its errors are logged and counted, never thrown. */
  onRecord?: (row: InvocationRow) => void;
  /** Clock in epoch ms, also used for latencies when given (tests); default Date.now and performance.now. */
  now?: () => number;
}

/** What is known about an LLM call before it is made (`llm.call`), and the invocation-log fields. */
export interface LlmCallMeta {
  /** The requested model (`gen_ai.request.model`). */
  model: string;
  /** `gen_ai.provider.name`: `openai`, `anthropic`, `gcp.gemini`, `aws.bedrock`, ... (default: the recorder's). */
  provider?: string;
  /** `gen_ai.operation.name` (default `chat`). */
  operation?: string;
  /** The invocation log's `task_type` (default: the operation). */
  taskType?: string;
  /** Routing alias (`model_alias`), e.g. `fast`. */
  modelAlias?: string;
  /** The prompt, only hashed (SHA-256) into `input_hash`; never stored or logged. */
  prompt?: unknown;
  /** A hash you computed instead of `prompt`. */
  inputHash?: string;
  /** The session (`gen_ai.conversation.id`); default the context's `session_id` (set by `agent.turn`). */
  sessionId?: string;
  /** Default: the context's `user_id`. */
  userId?: string;
  /** Default: the context's `task_id`. */
  taskId?: string;
  /** Default: the recorder's agent. */
  agent?: string;
  isShadow?: boolean;
  skillId?: string;
  escalationRequestId?: number;
  chainId?: string;
  /** Calling module, for attribution. */
  caller?: string;
  queueWaitMs?: number;
  overflowEscalated?: boolean;
  /** A cost you know (a router's or the bill's); wins over the computed one. */
  costUsd?: number;
}

/** `llm.call` options: the meta plus, for response shapes Vigil does not know, a reader. */
export interface LlmCallOptions<T> extends LlmCallMeta {
  /** Reads usage and model from the result (default: `readResponse`, which knows OpenAI, Anthropic, Gemini, Bedrock). */
  readResponse?: (result: T) => ResponseFacts;
}

/** A finished LLM call, as `llm.record` takes it. */
export interface LlmCallResult extends LlmCallMeta {
  /** How long the call took. */
  durationMs: number;
  /** When it started, epoch ms (default: now minus durationMs). */
  startedAt?: number;
  /** The provider's usage object (OpenAI `usage`, Anthropic `usage`, Gemini `usageMetadata`, ...). */
  rawUsage?: unknown;
  /** Usage already in Vigil's convention (input includes cached tokens); wins over rawUsage. */
  usage?: Partial<TokenUsage>;
  /** The model that answered (`gen_ai.response.model`). */
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  /** Set when the call failed: the error (its kind is read from its shape, its message redacted). */
  error?: unknown;
  /** The error kind, when you know it better than the error's shape says. */
  errorType?: string;
}

/** A tool call's identity. */
export interface ToolCallMeta {
  /** The call id the model gave (`gen_ai.tool.call.id`). */
  callId?: string;
  /** `function` (default), `extension` or `datastore`. */
  type?: string;
  /** Default: the context's `session_id`. */
  sessionId?: string;
  /** Default: the recorder's agent. */
  agent?: string;
}

/** A finished tool call, as `tool.record` takes it. */
export interface ToolCallResult extends ToolCallMeta {
  name: string;
  durationMs: number;
  /** Set when it failed. */
  error?: unknown;
}

/** An agent turn's identity (`agent.turn`). */
export interface TurnMeta {
  /** Default: the recorder's agent. */
  agent?: string;
  /** `gen_ai.agent.id`. */
  agentId?: string;
  /** The session: put into the context for every call inside, and its turn counted. */
  sessionId?: string;
  /** The main model of the turn, when known. */
  model?: string;
  provider?: string;
}
