// Alert history: every state change of every alert. The service passes its record store's (SQLite or PostgreSQL);
// without one it is kept in memory. The types and the memory store are @vigil/store's.
export {
  type AlertHistoryEvent,
  type AlertHistoryQuery,
  type AlertHistoryStore,
  MemoryAlertHistory,
} from '@vigil/store';
