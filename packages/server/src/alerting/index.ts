// The public API of alerting, as an explicit list (the service and CLI wire these in).

export { type Alerting, type AlertingOptions, createAlerting } from './create-alerting.js';
export type { DeliveryOptions } from './delivery.js';
export {
  type AlertHistoryEvent,
  type AlertHistoryQuery,
  type AlertHistoryStore,
  MemoryAlertHistory,
} from './history.js';
export { type AlertMatcher, parseMatcher, parseMatcherList } from './matchers.js';
export { runSilenceCommand } from './silence-command.js';
export { type Silence, Silences, type SilenceView } from './silences.js';
