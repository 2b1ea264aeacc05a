// LLM, tool and turn recording: `import { createRecorder, createHttpSink } from '@vigil/sdk/recording'`.
export {
  BatchingSink,
  type BatchingSinkOptions,
  type BatchOptions,
  createHttpSink,
  createMemorySink,
  createSqliteSink,
  createStoreSink,
  type HttpSinkOptions,
  hashInput,
  type InvocationBatchBody,
  type InvocationRow,
  type InvocationSink,
  type InvocationWriter,
  lazySqliteSink,
  MemorySink,
  newInvocationId,
  noopSink,
  type PartialDelivery,
  SQLITE_MAX_BATCH,
  type SqliteSinkOptions,
  type StoredInvocation,
  type StoreSinkOptions,
} from '../invocations/index.js';
export { GEN_AI, type TracerProviderLike, type TracingOption, VIGIL_ATTR } from '../tracing/index.js';
export type { RecorderStats } from './core.js';
export { errorTypeOf, statusOfErrorType } from './error-type.js';
export type { LlmCallHandle, LlmRecorder } from './llm.js';
export type {
  LlmCallMeta,
  LlmCallOptions,
  LlmCallResult,
  RecorderOptions,
  ToolCallMeta,
  ToolCallResult,
  TurnMeta,
} from './options.js';
export { createRecorder, Recorder } from './recorder.js';
export { type ResponseFacts, readResponse } from './response.js';
export type { ToolRecorder } from './tool.js';
export type { AgentRecorder } from './turn.js';
