// What the service wires: the record query routes, the correlation view and retention.
export { type CorrelationItem, type CorrelationView, correlationView } from './correlation.js';
export { type RecordQueryOptions, recordQueryRoutes } from './record-query-routes.js';
export { applyRetention, type RetentionPolicy, type RetentionResult, startRetention } from './retention.js';
