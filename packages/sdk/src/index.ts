export { type ContextFields, context, type FieldValue, type TraceContext } from './context/context.js';
export { formatTraceparent, newRequestId, parseTraceparent, requestIdProblem } from './context/ids.js';
export { SDK_ERROR_CODES, type SdkErrorCode, VigilError } from './errors.js';
export {
  type CustomEventTypes,
  EVENT_TYPES,
  type EventType,
  isKnownEventType,
  levelOfEvent,
  registerEventTypes,
} from './log/events.js';
export { type LogFilter, parseLogFilter } from './log/filter.js';
export { type FilterLevel, LEVELS, type LevelName } from './log/levels.js';
export {
  createLogger,
  getLogger,
  type LogFn,
  type Logger,
  type LoggerOptions,
  setDefaultLogger,
} from './log/logger.js';
export { type RedactOptions, Redactor } from './log/redact.js';
