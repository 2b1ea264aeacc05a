import type { Database } from 'better-sqlite3';
import { ALERT_HISTORY_SQL } from '../alerts/sqlite-alert-history.js';
import { GENESIS_HASH } from '../audit/canonical.js';
import { StoreError } from '../errors.js';

/** One numbered schema change; `sql` runs inside the transaction that records it. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema change, oldest first. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'invocations',
    sql: `
      CREATE TABLE invocations (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        app_id TEXT,
        session_id TEXT,
        correlation_id TEXT,
        task_type TEXT NOT NULL,
        model_alias TEXT,
        model_actual TEXT,
        provider TEXT,
        input_hash TEXT,
        latency_ms REAL NOT NULL,
        tokens_in INTEGER NOT NULL,
        tokens_out INTEGER NOT NULL,
        cache_read_tokens_in INTEGER NOT NULL,
        cache_creation_tokens_in INTEGER NOT NULL,
        cost_usd REAL,
        user_id TEXT,
        task_id TEXT,
        is_shadow INTEGER NOT NULL,
        skill_id TEXT,
        escalation_request_id INTEGER,
        chain_id TEXT,
        caller TEXT,
        queue_wait_ms REAL,
        overflow_escalated INTEGER NOT NULL,
        status TEXT NOT NULL,
        error TEXT
      );
      CREATE INDEX invocations_ts ON invocations (ts);
      CREATE INDEX invocations_app_ts ON invocations (app_id, ts);
      CREATE INDEX invocations_user_ts ON invocations (user_id, ts);
    `,
  },
  {
    version: 2,
    name: 'audit_log',
    sql: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ts INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        actor_user_id TEXT,
        target_user_id TEXT,
        target_app_id TEXT,
        success INTEGER NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_ts ON audit_log (ts);
      CREATE INDEX audit_log_type_ts ON audit_log (event_type, ts);
      CREATE INDEX audit_log_actor_ts ON audit_log (actor_user_id, ts);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TABLE audit_chain_head (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        length INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO audit_chain_head (one, length, hash) VALUES (1, 0, '${GENESIS_HASH}');
    `,
  },
  {
    version: 3,
    name: 'logs_and_spans',
    sql: `
      CREATE TABLE logs (
        seq INTEGER PRIMARY KEY,
        id TEXT,
        ts INTEGER NOT NULL,
        service TEXT,
        level TEXT NOT NULL,
        severity INTEGER NOT NULL,
        event TEXT,
        component TEXT,
        message TEXT NOT NULL,
        error TEXT,
        correlation_id TEXT,
        trace_id TEXT,
        span_id TEXT,
        attributes TEXT NOT NULL,
        resource TEXT NOT NULL
      );
      CREATE UNIQUE INDEX logs_id ON logs (id) WHERE id IS NOT NULL;
      CREATE INDEX logs_ts ON logs (ts);
      CREATE INDEX logs_service_ts ON logs (service, ts);
      CREATE INDEX logs_severity_ts ON logs (severity, ts);
      CREATE INDEX logs_event_ts ON logs (event, ts) WHERE event IS NOT NULL;
      CREATE INDEX logs_component_ts ON logs (component, ts) WHERE component IS NOT NULL;
      CREATE INDEX logs_correlation_ts ON logs (correlation_id, ts) WHERE correlation_id IS NOT NULL;
      CREATE INDEX logs_trace_ts ON logs (trace_id, ts) WHERE trace_id IS NOT NULL;
      CREATE VIRTUAL TABLE logs_fts USING fts5 (
        message, error, content = 'logs', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE TRIGGER logs_fts_insert AFTER INSERT ON logs BEGIN
        INSERT INTO logs_fts (rowid, message, error) VALUES (new.seq, new.message, new.error);
      END;
      CREATE TRIGGER logs_fts_delete AFTER DELETE ON logs BEGIN
        INSERT INTO logs_fts (logs_fts, rowid, message, error) VALUES ('delete', old.seq, old.message, old.error);
      END;
      CREATE TRIGGER logs_no_update BEFORE UPDATE ON logs
        BEGIN SELECT RAISE(ABORT, 'logs are append-only (retention deletes)'); END;
      CREATE TABLE spans (
        seq INTEGER PRIMARY KEY,
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        parent_span_id TEXT,
        ts REAL NOT NULL,
        duration_ms REAL NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        service TEXT,
        status TEXT NOT NULL,
        status_message TEXT,
        correlation_id TEXT,
        scope TEXT,
        attributes TEXT NOT NULL,
        events TEXT NOT NULL,
        links TEXT NOT NULL,
        resource TEXT NOT NULL
      );
      CREATE UNIQUE INDEX spans_trace_span ON spans (trace_id, span_id);
      CREATE INDEX spans_ts ON spans (ts);
      CREATE INDEX spans_service_ts ON spans (service, ts);
      CREATE INDEX spans_correlation_ts ON spans (correlation_id, ts) WHERE correlation_id IS NOT NULL;
      CREATE INDEX invocations_correlation_ts ON invocations (correlation_id, ts) WHERE correlation_id IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'logs_level_index',
    // Level filters and the error timeline walk (level, ts) in time order; a severity range
    // could not give time order and made every level query sort all its lines.
    sql: `
      DROP INDEX logs_severity_ts;
      CREATE INDEX logs_level_ts ON logs (level, ts);
    `,
  },
  {
    version: 5,
    name: 'alert_history',
    sql: ALERT_HISTORY_SQL,
  },
];

/** The schema version this code writes: the last migration's. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The version recorded in `schema_migrations`, or 0 when the table does not exist. */
export function schemaVersion(db: Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** A StoreError when the file was written by a newer Vigil than this one knows. */
export function assertKnownSchema(db: Database, path: string, known = SCHEMA_VERSION): number {
  const version = schemaVersion(db);
  if (version > known) {
    throw new StoreError(
      'VIGIL_STORE_SCHEMA_TOO_NEW',
      `${path}: schema version ${version} is newer than this Vigil knows (${known}): upgrade Vigil to open it`,
    );
  }
  return version;
}

/**
 * Applies the pending migrations, each in its own IMMEDIATE transaction that re-reads the version
 * first, so two processes opening the same file apply each migration once. Returns the versions
 * before and after.
 */
export function migrate(
  db: Database,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): { from: number; to: number } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const known = migrations[migrations.length - 1]?.version ?? 0;
  const from = assertKnownSchema(db, path, known);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const apply = db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
    });
    try {
      apply.immediate();
    } catch (err) {
      throw new StoreError(
        'VIGIL_STORE_MIGRATION',
        `${path}: migration ${migration.version} (${migration.name}) failed and was rolled back: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return { from, to: schemaVersion(db) };
}
