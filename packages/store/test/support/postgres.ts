import { after } from 'node:test';
import { startPostgres } from '@vigil/test-peers';
import pg from 'pg';
import type { AuditRow } from '../../src/audit/prepare.js';
import type { AuditTamper } from '../contract/audit-store.js';

/** A throwaway PostgreSQL cluster (`startPostgres` of @vigil/test-peers). */
export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * The test file's PostgreSQL cluster, started on first use of the getter and stopped when the file ends. Call it at
 * the top level of a test file (an `after` hook registered inside a test would stop the cluster after that test).
 */
export function usePostgres(): () => Promise<TestPostgres> {
  let started: Promise<TestPostgres> | null = null;
  after(async () => {
    if (started !== null) await (await started).stop();
  });
  return () => {
    started ??= startPostgres();
    return started;
  };
}

let schemas = 0;

/** A schema name no other store of this test file uses: each contract case gets an empty store. */
export function freshSchema(prefix = 'contract'): string {
  return `${prefix}_${process.pid}_${++schemas}`;
}

/** Tampers with the audit log in `schema` over a separate connection, as someone holding the database could. */
export function postgresTamper(url: string, schema: string): AuditTamper {
  const edit = async (work: (db: pg.Client) => Promise<void>) => {
    const db = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await db.connect();
    try {
      await db.query('BEGIN');
      // The append-only triggers stop mistakes, not someone who holds the database.
      await db.query('DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log');
      await db.query('DROP TRIGGER IF EXISTS audit_log_no_delete ON audit_log');
      await work(db);
      await db.query('COMMIT');
    } finally {
      await db.end();
    }
  };
  return {
    async update(seq, patch) {
      await edit(async (db) => {
        for (const [column, value] of Object.entries(patch)) {
          await db.query(`UPDATE audit_log SET ${column} = $1 WHERE seq = $2`, [value, seq]);
        }
      });
    },
    async delete(seq) {
      await edit(async (db) => {
        await db.query('DELETE FROM audit_log WHERE seq = $1', [seq]);
      });
    },
    async insert(row: AuditRow) {
      await edit(async (db) => {
        await db.query('UPDATE audit_log SET seq = -seq WHERE seq >= $1', [row.seq]);
        await db.query('UPDATE audit_log SET seq = 1 - seq WHERE seq < 0');
        await db.query(
          `INSERT INTO audit_log
            (seq, id, ts, event_type, actor_user_id, target_user_id, target_app_id, success, details, prev_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            row.seq,
            row.id,
            row.ts,
            row.event_type,
            row.actor_user_id,
            row.target_user_id,
            row.target_app_id,
            row.success,
            row.details,
            row.prev_hash,
            row.hash,
          ],
        );
      });
    },
    async swap(a, b) {
      await edit(async (db) => {
        for (const [to, from] of [
          [-1, a],
          [a, b],
          [b, -1],
        ]) {
          await db.query('UPDATE audit_log SET seq = $1 WHERE seq = $2', [to, from]);
        }
      });
    },
  };
}
