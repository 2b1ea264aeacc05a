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

/**
 * A tool call that failed. Its `message` (which the recorder logs) names only the kind and
 * what went wrong; `forModel`, what the model is told, may quote the arguments, i.e. the
 * user's words, which are never logged.
 */
export class ToolError extends Error {
  readonly kind: ToolErrorKind;
  /** What the model reads in the tool's answer. */
  readonly forModel: string;

  constructor(kind: ToolErrorKind, message: string, forModel: string = message) {
    super(`${kind}: ${message}`);
    this.name = 'ToolError';
    this.kind = kind;
    this.forModel = forModel;
  }
}

/** Reads one required string argument, or throws a ToolError naming it. */
export function requireArgument(args: ToolArguments, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new ToolError('bad_arguments', `argument "${name}" is missing`);
  return value;
}
