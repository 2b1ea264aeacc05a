// A simulated agent service on the real SDK metrics and budgets, driven by an explicit clock, so the same
// counters can be replayed into history (remote write) and then scraped live.
import { createBudgets } from '@vigil/sdk/cost';
import { createMetrics, type Metrics } from '@vigil/sdk/metrics';

/** The tool name that carries markup: the dashboard must show it as text. */
export const XSS_VALUE = '<img src=x onerror=alert(1)>';

const MODELS = [
  { model: 'gpt-4o', provider: 'openai', share: 0.45, latency: 1.6, priceIn: 2.5, priceOut: 10 },
  { model: 'gpt-4o-mini', provider: 'openai', share: 0.35, latency: 0.6, priceIn: 0.15, priceOut: 0.6 },
  { model: 'claude-sonnet-4', provider: 'anthropic', share: 0.2, latency: 2.4, priceIn: 3, priceOut: 15 },
];
const TOOLS = ['search_docs', 'create_ticket', 'calendar_lookup', 'send_email', XSS_VALUE];
const ERRORS = ['rate_limited', 'timeout', 'server_error'];
const STEP_MS = 15_000;

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The simulated agent: `advanceTo(ms)` records the traffic of every 15 s step up to `ms`. */
export class DemoWorkload {
  readonly metrics: Metrics;
  #clock: number;
  readonly #random = random(42);
  readonly #budgets;

  constructor(startMs: number) {
    this.#clock = startMs;
    this.metrics = createMetrics({ defaultMetrics: false });
    this.#budgets = createBudgets({
      budgets: [
        { name: 'daily', limitUsd: 200, period: 'day', thresholds: [80, 95] },
        { name: 'monthly', limitUsd: 5000, period: 'month' },
      ],
      metrics: this.metrics,
      now: () => this.#clock,
    });
  }

  /** Simulated time (ms since epoch). */
  get clock(): number {
    return this.#clock;
  }

  /** Records the traffic of each whole step between the clock and `ms`. */
  advanceTo(ms: number): void {
    while (this.#clock + STEP_MS <= ms) {
      this.#clock += STEP_MS;
      this.#step();
    }
  }

  #step(): void {
    const r = this.#random;
    // Busier in the middle of the hour: the charts get a shape instead of a flat line.
    const load = 1.5 + Math.sin((this.#clock / 3_600_000) * Math.PI * 2) + r();
    const turns = Math.round(load * 2);
    const agent = r() < 0.7 ? 'support' : 'triage';
    for (let i = 0; i < turns; i++) {
      const pick = r();
      const m =
        pick < MODELS[0]!.share ? MODELS[0]! : pick < MODELS[0]!.share + MODELS[1]!.share ? MODELS[1]! : MODELS[2]!;
      const failed = r() < 0.03;
      const inputTokens = Math.round(400 + r() * 3000);
      const outputTokens = Math.round(50 + r() * 600);
      const costUsd = (inputTokens * m.priceIn + outputTokens * m.priceOut) / 1e6;
      this.metrics.agent.recordLlmCall({
        model: m.model,
        provider: m.provider,
        inputTokens,
        outputTokens,
        costUsd,
        durationSeconds: m.latency * (0.4 + r() * 1.4) * (r() < 0.05 ? 4 : 1),
        errorType: failed ? ERRORS[Math.floor(r() * ERRORS.length)] : undefined,
      });
      this.#budgets.record({ costUsd, app: 'support' });
      this.metrics.agent.recordTurn({ agent });
      if (r() < 0.6) {
        const tool = TOOLS[Math.floor(r() * TOOLS.length)]!;
        this.metrics.agent.recordToolCall({
          agent,
          tool,
          status: r() < (tool === 'send_email' ? 0.12 : 0.02) ? 'error' : 'ok',
        });
      }
      if (r() < 0.04) this.metrics.agent.recordGuardrailRetry({ agent, guardrail: r() < 0.5 ? 'json_schema' : 'pii' });
      this.metrics.agent.recordInvocation({ agent, status: failed ? 'error' : r() < 0.01 ? 'timeout' : 'ok' });
    }
  }
}

/** The registry's samples now, as `{ labels, value }` with `__name__` among the labels. */
export async function snapshot(metrics: Metrics): Promise<{ labels: Record<string, string>; value: number }[]> {
  const families = await metrics.registry.getMetricsAsJSON();
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const family of families) {
    for (const sample of family.values as {
      value: number;
      labels: Record<string, string | number>;
      metricName?: string;
    }[]) {
      const labels: Record<string, string> = { __name__: sample.metricName ?? family.name };
      for (const [key, value] of Object.entries(sample.labels)) labels[key] = String(value);
      out.push({ labels, value: sample.value });
    }
  }
  return out;
}
