/**
 * Checks of what the agent hands to the session registry. Each returns a problem, as a
 * sentence naming the field, or undefined when the value is fine. Messages never echo the
 * value of an id or a string field: it may be anything, secrets included.
 */

/** The longest id (session, app, agent, user, channel) the registry keeps. */
export const MAX_ID_LENGTH = 256;
/** The longest name (model, provider, tool) the registry keeps. */
export const MAX_NAME_LENGTH = 128;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A non-empty string of at most `max` characters with no control characters. */
export function textProblem(value: unknown, field: string, max = MAX_ID_LENGTH): string | undefined {
  if (typeof value !== 'string') return `${field} must be a string (got ${value === null ? 'null' : typeof value})`;
  if (value === '') return `${field} must not be empty`;
  if (value.length > max) return `${field} must be at most ${max} characters (got ${value.length})`;
  if (CONTROL.test(value)) return `${field} must not contain control characters`;
  return undefined;
}

/** Like `textProblem`, but undefined is allowed. */
export function optionalTextProblem(value: unknown, field: string, max = MAX_ID_LENGTH): string | undefined {
  return value === undefined ? undefined : textProblem(value, field, max);
}

/** A whole number of tokens or items: finite, not negative, exact in a double. */
export function countProblem(value: unknown, field: string): string | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return `${field} must be a whole number >= 0 (got ${describe(value)})`;
  }
  return undefined;
}

/** Like `countProblem`, but undefined is allowed. */
export function optionalCountProblem(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : countProblem(value, field);
}

/** A duration in milliseconds: finite and not negative. */
export function durationProblem(value: unknown, field: string): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return `${field} must be a finite number of milliseconds >= 0 (got ${describe(value)})`;
  }
  return undefined;
}

/** The first problem of several checks, if any. */
export function firstProblem(...problems: (string | undefined)[]): string | undefined {
  for (const problem of problems) if (problem !== undefined) return problem;
  return undefined;
}

/** What a value is, for a message: numbers as they are, anything else by type only. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of length ${value.length}`;
  return typeof value;
}
