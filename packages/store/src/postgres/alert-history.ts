import {
  type AlertHistoryEvent,
  type AlertHistoryQuery,
  type AlertHistoryStore,
  DEFAULT_ALERT_HISTORY_PAGE,
  MAX_ALERT_HISTORY_PAGE,
} from '../alerts/types.js';
import type { PostgresConnection } from './connection.js';
import { insertIgnoring, Where, withoutNul } from './sql.js';

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

const COLUMNS = ['ts', 'alertname', 'fingerprint', 'state', 'rule_group', 'value', 'labels', 'annotations'];

/** Alert history in the `alert_history` table; values as text so NaN and ±Inf survive, as in SQLite. */
export class PostgresAlertHistory implements AlertHistoryStore {
  readonly #conn: PostgresConnection;

  constructor(conn: PostgresConnection) {
    this.#conn = conn;
  }

  async append(events: readonly AlertHistoryEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = withoutNul(
      events.map((e) => [
        e.ts,
        e.alertname,
        e.fingerprint,
        e.state,
        e.group,
        String(e.value),
        JSON.stringify(e.labels),
        JSON.stringify(e.annotations),
      ]),
    );
    await this.#conn.transaction('writing alert history', (db) => insertIgnoring(db, 'alert_history', COLUMNS, rows));
  }

  async query(q: AlertHistoryQuery = {}): Promise<AlertHistoryEvent[]> {
    const where = new Where();
    if (q.alertname !== undefined) where.add((p) => `alertname = ${p(q.alertname)}`);
    if (q.fingerprint !== undefined) where.add((p) => `fingerprint = ${p(q.fingerprint)}`);
    if (q.state !== undefined) where.add((p) => `state = ${p(q.state)}`);
    if (q.since !== undefined) where.add((p) => `ts >= ${p(q.since)}`);
    if (q.until !== undefined) where.add((p) => `ts <= ${p(q.until)}`);
    const limit = Math.min(q.limit ?? DEFAULT_ALERT_HISTORY_PAGE, MAX_ALERT_HISTORY_PAGE);
    const sql = `SELECT ${COLUMNS.join(', ')} FROM alert_history${where.sql} ORDER BY ts DESC, id DESC
      LIMIT ${where.param(limit)}`;
    const rows = await this.#conn.query<Row>('reading alert history', sql, where.params);
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
    const sql = 'WITH gone AS (DELETE FROM alert_history WHERE ts < $1 RETURNING 1) SELECT COUNT(*) AS n FROM gone';
    return (await this.#conn.query<{ n: number }>('deleting old alert history', sql, [beforeMs]))[0]!.n;
  }
}
