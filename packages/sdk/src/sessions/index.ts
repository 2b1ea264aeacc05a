export {
  type EvictionReason,
  SESSION_EVENT_TYPES,
  type SessionEventMap,
  type SessionEventType,
  type SessionListener,
} from './events.js';
export { type SessionAdminMiddleware, sessionAdmin } from './node.js';
export type { RecordResult, SessionInit, SessionRef, SessionRegistryOptions, SessionRegistryStats } from './options.js';
export type { ContextRecord, LlmCallRecord, MemoryRecord, ToolCallRecord } from './record.js';
export { SessionRegistry } from './registry.js';
export type { AppSummary, GlobalSummary, SessionRollup, SessionTotals } from './rollup.js';
export { SESSION_PATHS, type SessionRequest, type SessionRoutesOptions, sessionRoutes } from './routes.js';
export {
  type ContextBreakdownSnapshot,
  SessionMetrics,
  type SessionSnapshot,
  type SessionStatus,
  type ToolMetricsSnapshot,
} from './session-metrics.js';
export { SessionStream, type SessionStreamOptions, type SessionStreamStats } from './stream.js';
