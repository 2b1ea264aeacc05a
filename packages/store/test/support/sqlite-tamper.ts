import BetterSqlite3 from 'better-sqlite3';
import type { AuditRow } from '../../src/audit/prepare.js';
import type { AuditTamper } from '../contract/audit-store.js';

/** Tampers with the audit log of a SQLite file through a second connection, as someone holding the file could. */
export function sqliteTamper(path: string): AuditTamper {
  const edit = (work: (db: BetterSqlite3.Database) => void) => {
    const db = new BetterSqlite3(path);
    try {
      // The append-only triggers stop mistakes, not someone who holds the file.
      db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
      db.transaction(() => work(db))();
    } finally {
      db.close();
    }
  };
  const sqlValue = (value: unknown) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);
  return {
    async update(seq, patch) {
      edit((db) => {
        for (const [column, value] of Object.entries(patch)) {
          db.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = ?`).run(sqlValue(value), seq);
        }
      });
    },
    async delete(seq) {
      edit((db) => db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq));
    },
    async insert(row: AuditRow) {
      edit((db) => {
        db.prepare('UPDATE audit_log SET seq = -seq WHERE seq >= ?').run(row.seq);
        db.prepare('UPDATE audit_log SET seq = 1 - seq WHERE seq < 0').run();
        db.prepare(`INSERT INTO audit_log
          (seq, id, ts, event_type, actor_user_id, target_user_id, target_app_id, success, details, prev_hash, hash)
          VALUES (@seq, @id, @ts, @event_type, @actor_user_id, @target_user_id, @target_app_id, @success, @details, @prev_hash, @hash)`).run(
          { ...row, success: row.success ? 1 : 0 },
        );
      });
    },
    async swap(a, b) {
      edit((db) => {
        const move = db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?');
        move.run(-1, a);
        move.run(a, b);
        move.run(b, -1);
      });
    },
  };
}
