// Alert history (for the lead to re-export from the package's index and sqlite entry points).

export { MemoryAlertHistory } from './memory-alert-history.js';
export { ALERT_HISTORY_SQL, SqliteAlertHistory } from './sqlite-alert-history.js';
export {
  type AlertHistoryEvent,
  type AlertHistoryQuery,
  type AlertHistoryStore,
  DEFAULT_ALERT_HISTORY_PAGE,
  MAX_ALERT_HISTORY_PAGE,
} from './types.js';
