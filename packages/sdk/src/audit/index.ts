// The audit log, agent side: events checked and queued without blocking the agent, chained by the writer.
export { AuditLog, type AuditLogOptions, type AuditLogStats, createAuditLog } from './audit-log.js';
export type { AuditDropReason } from './audit-metrics.js';
export type { AuditEventInput, AuditRecord } from './event.js';
export { type AuditBatchBody, createHttpAuditWriter, type HttpAuditWriterOptions } from './http-writer.js';
export type { JsonValue } from './json.js';
export {
  type AuditWriter,
  type ClosableAuditWriter,
  createSqliteAuditWriter,
  type SqliteAuditWriterOptions,
} from './writer.js';
