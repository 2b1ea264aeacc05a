import type { Random } from '../random.js';

/** The arguments of a tool call, as the model writes them. */
export type ToolArguments = Record<string, string>;

/** A tool the agent can call: what the simulated model needs to choose it, and how it runs. */
export interface Tool {
  /** The name the model calls it by, e.g. `get_weather`. */
  readonly name: string;
  /** One line the model reads to decide when to use it. */
  readonly description: string;
  /** Typical latency of its simulated backend, in milliseconds (log-normal median). */
  readonly medianLatencyMs: number;
  /** How often its simulated backend fails (0..1). */
  readonly failureRate: number;
  /** True when the user's words ask for this tool; the simulated model prefers it then. */
  matches(text: string): boolean;
  /** The arguments the simulated model would write for this user text. */
  argumentsFor(text: string, random: Random): ToolArguments;
  /** Runs the tool; throws a ToolError when the arguments are unusable. */
  run(args: ToolArguments, random: Random): string;
}

/** Why a tool call failed. */
export type ToolErrorKind = 'bad_arguments' | 'unavailable' | 'unknown_tool';

/** A tool call that failed; the message may quote the arguments, so logs carry only the kind. */
export class ToolError extends Error {
  readonly kind: ToolErrorKind;

  constructor(kind: ToolErrorKind, message: string) {
    super(message);
    this.name = 'ToolError';
    this.kind = kind;
  }
}

/** Reads one required string argument, or throws a ToolError naming it. */
export function requireArgument(args: ToolArguments, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new ToolError('bad_arguments', `argument "${name}" is missing`);
  return value;
}
