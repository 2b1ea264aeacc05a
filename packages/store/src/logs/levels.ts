import { StoreError } from '../errors.js';
import { show } from '../validate.js';
import type { LogLevel } from './types.js';

/** Severity number ranges of each level, as OpenTelemetry numbers them. */
export const LEVEL_SEVERITY: Readonly<Record<LogLevel, readonly [number, number]>> = {
  trace: [1, 4],
  debug: [5, 8],
  info: [9, 12],
  warning: [13, 16],
  error: [17, 20],
  critical: [21, 24],
};

const BY_SEVERITY: LogLevel[] = ['trace', 'debug', 'info', 'warning', 'error', 'critical'];

/** The level of an OpenTelemetry severity number (1..24). */
export function levelOfSeverity(severity: number): LogLevel {
  return BY_SEVERITY[Math.min(5, Math.max(0, Math.floor((severity - 1) / 4)))]!;
}

/** True when `value` is a level name. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(LEVEL_SEVERITY, value);
}

/** `value` as a level, or a StoreError naming `field`. */
export function logLevel(
  value: unknown,
  field: string,
  code: 'VIGIL_STORE_BAD_RECORD' | 'VIGIL_STORE_BAD_QUERY',
): LogLevel {
  if (isLogLevel(value)) return value;
  throw new StoreError(code, `${field} must be one of ${BY_SEVERITY.join(', ')}, got ${show(value)}`);
}
