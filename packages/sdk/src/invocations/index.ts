// The invocation log: one row per LLM call, written through a sink that never blocks the agent.
export { BatchingSink, type BatchingSinkOptions, type BatchOptions, type PartialDelivery } from './batching-sink.js';
export { createHttpSink, type HttpSinkOptions, httpPoster, type InvocationBatchBody } from './http-sink.js';
export { newInvocationId } from './id.js';
export { createMemorySink, MemorySink } from './memory-sink.js';
export { hashInput, type InvocationRow } from './row.js';
export { type InvocationSink, noopSink } from './sink.js';
export { type SinkFamilies, sinkFamilies } from './sink-metrics.js';
export { createSqliteSink, lazySqliteSink, SQLITE_MAX_BATCH, type SqliteSinkOptions } from './sqlite-sink.js';
export { createStoreSink, type InvocationWriter, type StoredInvocation, type StoreSinkOptions } from './store-sink.js';
