import { GENESIS_HASH } from '../audit/canonical.js';
import { StoreError } from '../errors.js';
import type { Migration } from '../sqlite/migrations.js';
import type { PostgresConnection, Queryable } from './connection.js';

/**
 * Every schema change of the PostgreSQL driver, oldest first; append only. Version numbers follow SQLite's where
 * the same tables arrive, so `schema_migrations` reads alike; PostgreSQL got them all at once, in version 1.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'records',
    sql: `
      CREATE TABLE invocations (
        id text PRIMARY KEY,
        ts bigint NOT NULL,
        app_id text,
        session_id text,
        correlation_id text,
        task_type text NOT NULL,
        model_alias text,
        model_actual text,
        provider text,
        input_hash text,
        latency_ms double precision NOT NULL,
        tokens_in bigint NOT NULL,
        tokens_out bigint NOT NULL,
        cache_read_tokens_in bigint NOT NULL,
        cache_creation_tokens_in bigint NOT NULL,
        cost_usd double precision,
        user_id text,
        task_id text,
        is_shadow boolean NOT NULL,
        skill_id text,
        escalation_request_id bigint,
        chain_id text,
        caller text,
        queue_wait_ms double precision,
        overflow_escalated boolean NOT NULL,
        status text NOT NULL,
        error text
      );
      CREATE INDEX invocations_ts ON invocations (ts);
      CREATE INDEX invocations_app_ts ON invocations (app_id, ts);
      CREATE INDEX invocations_user_ts ON invocations (user_id, ts);
      CREATE INDEX invocations_correlation_ts ON invocations (correlation_id, ts) WHERE correlation_id IS NOT NULL;

      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        id text NOT NULL UNIQUE,
        ts bigint NOT NULL,
        event_type text NOT NULL,
        actor_user_id text,
        target_user_id text,
        target_app_id text,
        success boolean NOT NULL,
        details text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX audit_log_ts ON audit_log (ts);
      CREATE INDEX audit_log_type_ts ON audit_log (event_type, ts);
      CREATE INDEX audit_log_actor_ts ON audit_log (actor_user_id, ts);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
      CREATE TABLE audit_chain_head (
        one integer PRIMARY KEY CHECK (one = 1),
        length bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO audit_chain_head (one, length, hash) VALUES (1, 0, '${GENESIS_HASH}');

      CREATE TABLE logs (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text,
        ts bigint NOT NULL,
        service text,
        level text NOT NULL,
        severity integer NOT NULL,
        event text,
        component text,
        message text NOT NULL,
        error text,
        correlation_id text,
        trace_id text,
        span_id text,
        attributes text NOT NULL,
        resource text NOT NULL,
        words tsvector NOT NULL
      );
      CREATE UNIQUE INDEX logs_id ON logs (id) WHERE id IS NOT NULL;
      CREATE INDEX logs_ts ON logs (ts);
      CREATE INDEX logs_service_ts ON logs (service, ts);
      CREATE INDEX logs_level_ts ON logs (level, ts);
      CREATE INDEX logs_event_ts ON logs (event, ts) WHERE event IS NOT NULL;
      CREATE INDEX logs_component_ts ON logs (component, ts) WHERE component IS NOT NULL;
      CREATE INDEX logs_correlation_ts ON logs (correlation_id, ts) WHERE correlation_id IS NOT NULL;
      CREATE INDEX logs_trace_ts ON logs (trace_id, ts) WHERE trace_id IS NOT NULL;
      CREATE INDEX logs_words ON logs USING gin (words);

      CREATE TABLE spans (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        trace_id text NOT NULL,
        span_id text NOT NULL,
        parent_span_id text,
        ts double precision NOT NULL,
        duration_ms double precision NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        service text,
        status text NOT NULL,
        status_message text,
        correlation_id text,
        scope text,
        attributes text NOT NULL,
        events text NOT NULL,
        links text NOT NULL,
        resource text NOT NULL
      );
      CREATE UNIQUE INDEX spans_trace_span ON spans (trace_id, span_id);
      CREATE INDEX spans_ts ON spans (ts);
      CREATE INDEX spans_service_ts ON spans (service, ts);
      CREATE INDEX spans_correlation_ts ON spans (correlation_id, ts) WHERE correlation_id IS NOT NULL;

      CREATE TABLE alert_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ts bigint NOT NULL,
        alertname text NOT NULL,
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved', 'inactive')),
        rule_group text NOT NULL,
        value text NOT NULL,
        labels text NOT NULL,
        annotations text NOT NULL
      );
      CREATE INDEX alert_history_ts ON alert_history (ts);
      CREATE INDEX alert_history_alertname_ts ON alert_history (alertname, ts);
      CREATE INDEX alert_history_fingerprint_ts ON alert_history (fingerprint, ts);
    `,
  },
];

/** The schema version this code writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]!.version;

// One advisory lock key for "migrating", so two processes opening one database apply each migration once.
const MIGRATION_LOCK = 0x76_69_67_69; // "vigi"

/** The version recorded in `schema_migrations` (of the schema on the search path), or 0 without the table. */
export async function postgresSchemaVersion(db: Queryable): Promise<number> {
  const table = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (table.rows[0]?.t === null) return 0;
  const row = await db.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return row.rows[0]?.v ?? 0;
}

/** Creates `schema` when missing, under the migration lock (two racing `IF NOT EXISTS` would collide). */
export async function createPostgresSchema(conn: PostgresConnection, schema: string): Promise<void> {
  await conn.transaction('creating the schema', async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  });
}

/**
 * Applies pending migrations, each in its own transaction holding an advisory lock and re-reading the version
 * first. A database whose version is newer than `migrations` know is refused and left as it is.
 */
export async function migratePostgres(
  conn: PostgresConnection,
  migrations: readonly Migration[] = POSTGRES_MIGRATIONS,
  now: () => number = Date.now,
): Promise<{ from: number; to: number }> {
  const known = migrations[migrations.length - 1]?.version ?? 0;
  const from = await conn.transaction('reading the schema version', async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
    return postgresSchemaVersion(db);
  });
  if (from > known) {
    throw new StoreError(
      'VIGIL_STORE_SCHEMA_TOO_NEW',
      `${conn.where}: schema version ${from} is newer than this Vigil knows (${known}): upgrade Vigil to open it`,
    );
  }
  let to = from;
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    try {
      await conn.transaction('migrating', async (db) => {
        await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        if ((await postgresSchemaVersion(db)) >= migration.version) return;
        await db.query(migration.sql);
        await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          now(),
        ]);
      });
    } catch (err) {
      const cause = err instanceof StoreError && err.cause instanceof Error ? err.cause : err;
      if (err instanceof StoreError && err.code !== 'VIGIL_STORE_IO') throw err;
      throw new StoreError(
        'VIGIL_STORE_MIGRATION',
        `${conn.where}: migration ${migration.version} (${migration.name}) failed and was rolled back: ${(cause as Error).message}`,
        { cause },
      );
    }
    to = migration.version;
  }
  return { from, to };
}
