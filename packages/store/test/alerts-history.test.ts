import { join } from 'node:path';
import { ALERT_HISTORY_SQL, MemoryAlertHistory, SqliteAlertHistory } from '../src/alerts/index.js';
import { SqliteConnection } from '../src/sqlite/connection.js';
import { alertHistoryContract } from './contract/alert-history.js';
import { tempDir } from './support/temp.js';

const dir = tempDir();
let n = 0;

alertHistoryContract('memory', () => new MemoryAlertHistory());
alertHistoryContract('SQLite', () => {
  const conn = new SqliteConnection(join(dir, `alerts-${++n}.db`));
  conn.db().exec(ALERT_HISTORY_SQL);
  conn.db().exec(ALERT_HISTORY_SQL); // idempotent, as a migration re-run would be
  return new SqliteAlertHistory(conn);
});
