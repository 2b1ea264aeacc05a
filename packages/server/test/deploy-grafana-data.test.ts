import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { Engine, MemoryQuerier } from '@vigil/promql';
import { createLogger } from '@vigil/sdk';
import { createBudgets } from '@vigil/sdk/cost';
import { type BoundedCounter, createMetrics, type Metrics } from '@vigil/sdk/metrics';

// Runs every dashboard query on Vigil's engine over what an instrumented agent exports after
// ten minutes of traffic: a query that parses but names a wrong label or label value shows an
// empty panel, and fails here.

const DASHBOARDS = new URL('../../../../deploy/grafana/dashboards/', import.meta.url);
const STEP_MS = 15_000;
const STEPS = 41;
const START_MS = Date.UTC(2026, 0, 5, 12);
const END_MS = START_MS + (STEPS - 1) * STEP_MS;
const TARGET = { job: 'agents', instance: 'agent-service:8000' };

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

/** One scrape interval of traffic, with every outcome the dashboards tell apart. */
function traffic(
  metrics: Metrics,
  escalations: BoundedCounter<'id'>,
  step: number,
  recordCost: (usd: number) => void,
): void {
  const { http, agent } = metrics;
  for (const [route, status, seconds] of [
    ['/v1/chat', 200, 0.8],
    ['/v1/chat', 200, 1.6],
    ['/v1/chat', 502, 3],
    ['/v1/sessions/:id', 404, 0.01],
  ] as const) {
    http.requests.inc({ method: 'POST', route, status });
    http.duration.observe({ method: 'POST', route, status }, seconds);
    if (status >= 500) http.errors.inc({ method: 'POST', route });
  }
  http.inFlight.set({}, 2);
  agent.recordInvocation({ agent: 'support', status: 'ok' });
  agent.recordInvocation({ agent: 'support', status: 'error' });
  agent.recordToolCall({ agent: 'support', tool: 'search', status: 'ok' });
  agent.recordToolCall({ agent: 'support', tool: 'search', status: 'timeout' });
  agent.recordTurn({ agent: 'support' });
  agent.recordGuardrailRetry({ agent: 'support', guardrail: 'json_schema' });
  agent.recordBudgetExhausted({ agent: 'support', budget: 'tokens' });
  agent.recordLlmCall({
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 900,
    outputTokens: 80,
    durationSeconds: 1.7,
  });
  agent.recordLlmCall({ model: 'gpt-4o', provider: 'openai', durationSeconds: 30, errorType: 'rate_limited' });
  recordCost(0.05);
  // What the cardinality guard counts: a write it refuses, and label sets past the limit.
  agent.recordLlmCall({ model: 'gpt-4o', provider: 'openai', durationSeconds: -1 });
  escalations.inc({ id: step });
}

/** Appends the registry's current values to `querier` at `t`, as a scrape of TARGET would. */
async function scrape(metrics: Metrics, querier: MemoryQuerier, t: number): Promise<void> {
  querier.add({ __name__: 'up', ...TARGET }, t, 1);
  for (const family of await metrics.registry.getMetricsAsJSON()) {
    for (const sample of family.values as Array<{ value: number; labels: object; metricName?: string }>) {
      const labels: Record<string, string> = { __name__: sample.metricName ?? family.name, ...TARGET };
      for (const [name, value] of Object.entries(sample.labels)) labels[name] = String(value);
      querier.add(labels, t, sample.value);
    }
  }
}

/** Grafana's variables as a dashboard with everything selected sends them. */
function asGrafanaSends(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '10m')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}

function panelsOf(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
}

describe('every dashboard panel shows data for an agent that recorded each kind of event', () => {
  const querier = new MemoryQuerier();
  const engine = new Engine();
  const registered = new Set<string>();

  before(async () => {
    // The budget warnings and the guard's are expected here: keep them out of the test output.
    const logger = createLogger({ service: 'deploy-test', level: 'silent' });
    const metrics = createMetrics({ maxSeriesPerMetric: 20, logger });
    const escalations = metrics.counter({ name: 'escalations_total', help: 'Escalations.', labelNames: ['id'] });
    let now = START_MS;
    const budgets = createBudgets({
      budgets: [{ name: 'daily', limitUsd: 1.5, period: 'day', thresholds: [80] }],
      metrics,
      logger,
      now: () => now,
    });
    for (let i = 0; i < STEPS; i++) {
      now = START_MS + i * STEP_MS;
      traffic(metrics, escalations, i, (costUsd) => budgets.record({ costUsd }));
      await scrape(metrics, querier, now);
    }
    for (const family of await metrics.registry.getMetricsAsJSON()) registered.add(family.name);
  });

  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(new URL(file, DASHBOARDS), 'utf8')) as { panels: Panel[] };
    test(file, () => {
      const empty: string[] = [];
      for (const panel of panelsOf(dashboard.panels)) {
        for (const { expr } of panel.targets ?? []) {
          // Recording and audit families register only inside their sinks: parse-checked in deploy-grafana.test.ts.
          const families = [...expr.matchAll(/\b(vigil_(?:invocation_rows|recording|audit)_\w+)/g)];
          if (families.some(([name]) => !registered.has(name!))) continue;
          const result = engine.instantQuery(querier, asGrafanaSends(expr), END_MS);
          const values =
            result.resultType === 'vector'
              ? result.result.map((s) => s.value[1])
              : result.resultType === 'scalar'
                ? [result.result[1]]
                : [];
          if (values.length === 0 || values.every((v) => Number.isNaN(v))) empty.push(`${panel.title}: ${expr}`);
        }
      }
      assert.deepEqual(empty, [], 'panels with no data');
    });
  }
});
