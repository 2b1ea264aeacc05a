import type { Logger } from '@vigil/sdk';
import type { Recorder } from '@vigil/sdk/recording';
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
  /** Records each call: `tool.call.completed`/`tool.call.failed`, metrics, the session's tool figures. */
  recorder: Recorder;
}

/** Runs the agent's tools with simulated latency and outages, recording each call. */
export class Toolbox {
  readonly tools: readonly Tool[];
  readonly #byName: ReadonlyMap<string, Tool>;
  readonly #log: Logger;
  readonly #random: Random;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #recorder: Recorder;

  constructor(options: ToolboxOptions) {
    this.tools = options.tools ?? DEFAULT_TOOLS;
    this.#byName = new Map(this.tools.map((tool) => [tool.name, tool]));
    this.#log = options.logger.module('tools');
    this.#random = options.random;
    this.#sleep = options.sleep;
    this.#now = options.now;
    this.#recorder = options.recorder;
  }

  /** Runs one call; a failure is reported in the outcome (the model reads it), never thrown. */
  async call(request: ToolCallRequest, latencyMs?: number): Promise<ToolCallOutcome> {
    const started = this.#now();
    this.#log.event('tool.call.started', { tool: request.name }, `${request.name} called`);
    const outcome: ToolCallOutcome = { name: request.name, arguments: request.arguments, status: 'ok', duration_ms: 0 };
    try {
      outcome.output = await this.#recorder.tool.call(request.name, () => this.#run(request, latencyMs));
    } catch (error) {
      // A bug in a tool must not fail the turn: the model is told, as it would be of any failure.
      outcome.status = 'error';
      outcome.error = error instanceof ToolError ? error.forModel : 'the tool crashed';
      if (!(error instanceof ToolError)) this.#log.error({ err: error, tool: request.name }, 'tool crashed');
    }
    outcome.duration_ms = this.#now() - started;
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
