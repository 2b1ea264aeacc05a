// The SQLite driver (better-sqlite3): `import { openSqliteStore } from '@vigil/store/sqlite'`.
export { ALERT_HISTORY_SQL, SqliteAlertHistory } from './alerts/sqlite-alert-history.js';
export { SqliteAuditStore } from './audit/sqlite-audit-store.js';
export { AUDIT_VERIFY_EXIT, type AuditVerifyReport, auditVerifyReport } from './audit/verify-report.js';
export { SqliteInvocationStore } from './invocations/sqlite-invocation-store.js';
export { SqliteLogStore } from './logs/sqlite-log-store.js';
export { SqliteSpanStore } from './spans/sqlite-span-store.js';
export type { SqliteConnectionOptions } from './sqlite/connection.js';
export { MIGRATIONS, type Migration, SCHEMA_VERSION } from './sqlite/migrations.js';
export {
  DATABASE_FILE,
  defaultDatabasePath,
  openSqliteStore,
  SqliteStore,
  type SqliteStoreOptions,
} from './sqlite/sqlite-store.js';
