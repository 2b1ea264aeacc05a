// The store interfaces, records, errors and in-memory stores; no native code. SQLite lives in `@vigil/store/sqlite`.
export {
  type AlertHistoryEvent,
  type AlertHistoryQuery,
  type AlertHistoryStore,
  DEFAULT_ALERT_HISTORY_PAGE,
  MAX_ALERT_HISTORY_PAGE,
  MemoryAlertHistory,
} from './alerts/index.js';
export { AUDIT_HASH_VERSION, auditHash, canonicalJson, GENESIS_HASH, type JsonValue } from './audit/canonical.js';
export { MemoryAuditStore } from './audit/memory-audit-store.js';
export type {
  AuditBreak,
  AuditBreakKind,
  AuditEvent,
  AuditEventInput,
  AuditQuery,
  AuditStore,
  AuditVerifyResult,
} from './audit/types.js';
export { STORE_ERROR_CODES, StoreError, type StoreErrorCode } from './errors.js';
export { MemoryInvocationStore } from './invocations/memory-invocation-store.js';
export { type InvocationSummary, type SummaryKey, summarizeInvocations } from './invocations/summary.js';
export type {
  DailySpend,
  InsertResult,
  InvocationInput,
  InvocationQuery,
  InvocationRecord,
  InvocationStatus,
  InvocationStore,
} from './invocations/types.js';
export { LEVEL_SEVERITY, levelOfSeverity } from './logs/levels.js';
export { MemoryLogStore } from './logs/memory-log-store.js';
export type {
  ErrorBucket,
  ErrorTimelineQuery,
  LogInput,
  LogInsertResult,
  LogLevel,
  LogPage,
  LogQuery,
  LogRecord,
  LogStore,
} from './logs/types.js';
export { MemorySpanStore } from './spans/memory-span-store.js';
export type {
  SpanEvent,
  SpanInput,
  SpanInsertResult,
  SpanKind,
  SpanLink,
  SpanPage,
  SpanQuery,
  SpanRecord,
  SpanStatus,
  SpanStore,
} from './spans/types.js';
export { DEFAULT_LIMIT, MAX_LIMIT, type TimeInput } from './validate.js';
