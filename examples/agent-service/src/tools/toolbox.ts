import type { Logger } from '@vigil/sdk';
import type { AgentMetrics } from '@vigil/sdk/metrics';
import { AGENT_NAME } from '../agent/name.js';
import { logNormal, type Random, type Sleep } from '../random.js';
import { calculator } from './calculator.js';
import { searchDocs } from './search-docs.js';
import { type Tool, type ToolArguments, ToolError } from './tool.js';
import { getWeather } from './weather.js';

/** The tools the demo agent has. */
export const DEFAULT_TOOLS: readonly Tool[] = [searchDocs, getWeather, calculator];

/** A tool call the model asked for. */
export interface ToolCallRequest {
  name: string;
  arguments: ToolArguments;
}

/** What one tool call did, as the turn's answer reports it. */
export interface ToolCallOutcome {
  name: string;
  arguments: ToolArguments;
  status: 'ok' | 'error';
  /** The tool's answer, when it succeeded. */
  output?: string;
  /** What went wrong, when it failed. */
  error?: string;
  duration_ms: number;
}

/** Options of a Toolbox. */
export interface ToolboxOptions {
  tools?: readonly Tool[];
  logger: Logger;
  random: Random;
  sleep: Sleep;
  now: () => number;
  /** Counts each call in `vigil_agent_tool_calls_total`. */
  metrics?: AgentMetrics;
}

/** Runs the agent's tools with simulated latency and outages, logging one event per call. */
export class Toolbox {
  readonly tools: readonly Tool[];
  readonly #byName: ReadonlyMap<string, Tool>;
  readonly #log: Logger;
  readonly #random: Random;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #metrics: AgentMetrics | undefined;

  constructor(options: ToolboxOptions) {
    this.tools = options.tools ?? DEFAULT_TOOLS;
    this.#byName = new Map(this.tools.map((tool) => [tool.name, tool]));
    this.#log = options.logger.module('tools');
    this.#random = options.random;
    this.#sleep = options.sleep;
    this.#now = options.now;
    this.#metrics = options.metrics;
  }

  /** Runs one call; a failure is reported in the outcome (the model reads it), never thrown. */
  async call(request: ToolCallRequest, latencyMs?: number): Promise<ToolCallOutcome> {
    const started = this.#now();
    const fields = { tool: request.name };
    this.#log.event('tool.call.started', fields, `${request.name} called`);
    const outcome: ToolCallOutcome = { name: request.name, arguments: request.arguments, status: 'ok', duration_ms: 0 };
    let errorKind: string | undefined;
    try {
      outcome.output = await this.#run(request, latencyMs);
    } catch (error) {
      // A bug in a tool must not fail the turn: the model is told, as it would be of any failure.
      errorKind = error instanceof ToolError ? error.kind : 'crashed';
      outcome.status = 'error';
      outcome.error = error instanceof ToolError ? error.message : 'the tool crashed';
      if (!(error instanceof ToolError)) this.#log.error({ err: error, tool: request.name }, 'tool crashed');
    }
    outcome.duration_ms = this.#now() - started;
    this.#metrics?.recordToolCall({ agent: AGENT_NAME, tool: request.name, status: outcome.status });
    if (errorKind === undefined) {
      this.#log.event(
        'tool.call.completed',
        { ...fields, duration_ms: outcome.duration_ms },
        `${request.name} answered in ${outcome.duration_ms} ms`,
      );
    } else {
      this.#log.event(
        'tool.call.failed',
        { ...fields, duration_ms: outcome.duration_ms, error_kind: errorKind },
        `${request.name} failed (${errorKind}) after ${outcome.duration_ms} ms`,
      );
    }
    return outcome;
  }

  async #run(request: ToolCallRequest, latencyMs: number | undefined): Promise<string> {
    const tool = this.#byName.get(request.name);
    if (tool === undefined) throw new ToolError('unknown_tool', `no tool named "${request.name}"`);
    // Draw the outage first so a given random sequence means the same thing whatever the latency.
    const outage = this.#random() < tool.failureRate;
    const median = tool.medianLatencyMs;
    await this.#sleep(latencyMs ?? logNormal(this.#random, median, 0.5, 1, median * 10));
    if (outage) throw new ToolError('unavailable', `${tool.name} backend did not answer in time`);
    return tool.run(request.arguments, this.#random);
  }
}
