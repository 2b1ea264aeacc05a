import type { SqliteConnection } from '../sqlite/connection.js';
import {
  type AlertHistoryEvent,
  type AlertHistoryQuery,
  type AlertHistoryStore,
  DEFAULT_ALERT_HISTORY_PAGE,
  MAX_ALERT_HISTORY_PAGE,
} from './types.js';

/**
 * The `alert_history` table. To be added as a migration of the record database (sqlite/migrations.ts); until then
 * a caller runs it itself (it is idempotent).
 */
export const ALERT_HISTORY_SQL = `
CREATE TABLE IF NOT EXISTS alert_history (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  ts          INTEGER NOT NULL,
  alertname   TEXT    NOT NULL,
  fingerprint TEXT    NOT NULL,
  state       TEXT    NOT NULL CHECK (state IN ('pending', 'firing', 'resolved', 'inactive')),
  rule_group  TEXT    NOT NULL,
  value       TEXT    NOT NULL,
  labels      TEXT    NOT NULL,
  annotations TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_history_ts ON alert_history (ts);
CREATE INDEX IF NOT EXISTS alert_history_alertname_ts ON alert_history (alertname, ts);
CREATE INDEX IF NOT EXISTS alert_history_fingerprint_ts ON alert_history (fingerprint, ts);
`;

interface Row {
  ts: number;
  alertname: string;
  fingerprint: string;
  state: AlertHistoryEvent['state'];
  rule_group: string;
  value: string;
  labels: string;
  annotations: string;
}

/**
 * Alert history in the `alert_history` table of a better-sqlite3 database (the record store's file). Values are
 * kept as text so NaN and ±Inf survive (SQLite turns a NaN REAL into NULL).
 */
export class SqliteAlertHistory implements AlertHistoryStore {
  readonly #conn: SqliteConnection;

  /** Uses the record database's connection, whose schema must already hold ALERT_HISTORY_SQL. */
  constructor(conn: SqliteConnection) {
    this.#conn = conn;
  }

  async append(events: readonly AlertHistoryEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.#conn.run('writing alert history', (db) => {
      const insert = db.prepare(
        'INSERT INTO alert_history (ts, alertname, fingerprint, state, rule_group, value, labels, annotations) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      db.transaction(() => {
        for (const e of events)
          insert.run(
            e.ts,
            e.alertname,
            e.fingerprint,
            e.state,
            e.group,
            String(e.value),
            JSON.stringify(e.labels),
            JSON.stringify(e.annotations),
          );
      })();
    });
  }

  async query(q: AlertHistoryQuery = {}): Promise<AlertHistoryEvent[]> {
    const filters: [string, string | number | undefined][] = [
      ['alertname = ?', q.alertname],
      ['fingerprint = ?', q.fingerprint],
      ['state = ?', q.state],
      ['ts >= ?', q.since],
      ['ts <= ?', q.until],
    ];
    const used = filters.filter(([, value]) => value !== undefined);
    const where = used.map(([clause]) => clause);
    const params = used.map(([, value]) => value as string | number);
    const limit = Math.min(q.limit ?? DEFAULT_ALERT_HISTORY_PAGE, MAX_ALERT_HISTORY_PAGE);
    const sql = `SELECT ts, alertname, fingerprint, state, rule_group, value, labels, annotations FROM alert_history${
      where.length ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY ts DESC, id DESC LIMIT ?`;
    const rows = this.#conn.run('reading alert history', (db) => db.prepare(sql).all(...params, limit) as Row[]);
    return rows.map((r) => ({
      ts: r.ts,
      alertname: r.alertname,
      fingerprint: r.fingerprint,
      state: r.state,
      group: r.rule_group,
      value: Number(r.value),
      labels: JSON.parse(r.labels) as Record<string, string>,
      annotations: JSON.parse(r.annotations) as Record<string, string>,
    }));
  }

  async deleteBefore(beforeMs: number): Promise<number> {
    return this.#conn.run(
      'deleting old alert history',
      (db) => db.prepare('DELETE FROM alert_history WHERE ts < ?').run(beforeMs).changes,
    );
  }
}
