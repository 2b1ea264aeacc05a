/** The five levels of the seed's logging convention, as pino custom levels. */
export const LEVELS = {
  debug: 20,
  info: 30,
  warning: 40,
  error: 50,
  critical: 60,
} as const;

/** A log level name. */
export type LevelName = keyof typeof LEVELS;

/** A level a filter may set: a level, or `off` to silence. */
export type FilterLevel = LevelName | 'off';

const ALIASES: Record<string, FilterLevel> = {
  debug: 'debug',
  info: 'info',
  warning: 'warning',
  warn: 'warning',
  error: 'error',
  critical: 'critical',
  off: 'off',
  silent: 'off',
};

/** Reads a level name as users type it (`warn` is `warning`, `silent` is `off`); undefined if unknown. */
export function parseLevel(text: string): FilterLevel | undefined {
  return ALIASES[text.trim().toLowerCase()];
}

/** The pino level string for a filter level. */
export function pinoLevel(level: FilterLevel): string {
  return level === 'off' ? 'silent' : level;
}
