import { createLogger } from '@vigil/sdk';
import { createMetrics } from '@vigil/sdk/metrics';
import { createRecorder, noopSink } from '@vigil/sdk/recording';
import pino from 'pino';
import { Histogram, Registry } from 'prom-client';

/** Discards log lines, counting them so that a case that silently writes nothing fails the run. */
export class CountingSink {
  lines = 0;
  write(_line: string): void {
    this.lines++;
  }
}

/** One `llm.record` case: how to build its loop of n recorded calls around a log sink. */
export interface RecordCase {
  id: string;
  label: string;
  /** Log lines each call writes (the run fails when fewer reach the sink). */
  linesPerCall: number;
  setup(sink: CountingSink): (n: number) => void;
}

// One typical finished call; each iteration varies only the duration.
const MODEL = 'gpt-4o';
const PROVIDER = 'openai';
const USAGE = { inputTokens: 1200, outputTokens: 340, cacheReadInputTokens: 800 };

// The OpenTelemetry GenAI bucket boundaries, as Vigil's histograms use them.
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

/** Vigil's recorder as an app sets it up; `callLines` turns on the debug line of each completed call. */
function vigilRecorder(sink: CountingSink, withMetrics: boolean, callLines: boolean) {
  const level = callLines ? 'info,recording=debug' : 'info';
  const logger = createLogger({ service: 'bench', destination: sink, env: {}, level });
  const metrics = withMetrics ? createMetrics({ defaultMetrics: false, logger }) : false;
  return createRecorder({ app: 'bench', logger, metrics, sink: noopSink, tracing: false, env: {} });
}

function vigilCase(id: string, label: string, withMetrics: boolean, callLines: boolean): RecordCase {
  return {
    id,
    label,
    linesPerCall: callLines ? 1 : 0,
    setup(sink) {
      const recorder = vigilRecorder(sink, withMetrics, callLines);
      return (n) => {
        for (let i = 0; i < n; i++) {
          recorder.llm.record({
            model: MODEL,
            provider: PROVIDER,
            taskType: 'triage',
            durationMs: 800 + (i & 63),
            usage: USAGE,
          });
        }
      };
    },
  };
}

/** What a user writes without Vigil: three prom-client histograms observed by hand, and (`withLine`) a pino line. */
function byHandCase(id: string, label: string, withLine: boolean): RecordCase {
  return {
    id,
    label,
    linesPerCall: withLine ? 1 : 0,
    setup(sink) {
      const log = pino({}, sink);
      const registry = new Registry();
      const duration = new Histogram({
        name: 'llm_request_duration_seconds',
        help: 'LLM call duration.',
        labelNames: ['model', 'provider', 'task_type'],
        buckets: DURATION_BUCKETS,
        registers: [registry],
      });
      const tokens = new Histogram({
        name: 'llm_tokens',
        help: 'Tokens per LLM call.',
        labelNames: ['model', 'provider', 'type'],
        buckets: TOKEN_BUCKETS,
        registers: [registry],
      });
      return (n) => {
        for (let i = 0; i < n; i++) {
          const durationMs = 800 + (i & 63);
          duration.observe({ model: MODEL, provider: PROVIDER, task_type: 'triage' }, durationMs / 1000);
          tokens.observe({ model: MODEL, provider: PROVIDER, type: 'input' }, USAGE.inputTokens);
          tokens.observe({ model: MODEL, provider: PROVIDER, type: 'output' }, USAGE.outputTokens);
          if (!withLine) continue;
          log.info(
            {
              model: MODEL,
              provider: PROVIDER,
              task_type: 'triage',
              duration_ms: durationMs,
              tokens_in: USAGE.inputTokens,
              tokens_out: USAGE.outputTokens,
            },
            'llm call completed',
          );
        }
      };
    },
  };
}

/** Every llm.record case, in report order; each runs alone in its own process. */
export const RECORD_CASES: readonly RecordCase[] = [
  vigilCase(
    'vigil',
    'Vigil `llm.record`, defaults (metrics on; the completed call is a debug line, not written)',
    true,
    false,
  ),
  byHandCase('hand-metrics', 'by hand: 3 prom-client histogram observations', false),
  vigilCase('vigil-line', "Vigil `llm.record`, metrics on, the call's line written (`recording=debug`)", true, true),
  byHandCase('hand-line', 'by hand: 3 prom-client histogram observations + a pino line', true),
  vigilCase('vigil-no-metrics', 'Vigil `llm.record`, metrics off (`metrics: false`)', false, false),
];
