// The PostgreSQL driver (node-postgres): `import { openPostgresStore } from '@vigil/store/postgres'`.
export { PostgresAlertHistory } from './postgres/alert-history.js';
export { PostgresAuditStore } from './postgres/audit-store.js';
export type { PostgresTarget } from './postgres/connection.js';
export { PostgresInvocationStore } from './postgres/invocation-store.js';
export { PostgresLogStore } from './postgres/log-store.js';
export { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './postgres/migrations.js';
export { openPostgresStore, PostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.js';
export { PostgresSpanStore } from './postgres/span-store.js';
