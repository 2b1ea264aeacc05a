import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { createMetrics, renderMetrics } from '../src/metrics/index.js';
import { captureLogger } from './support/capture.js';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

/** Runs `promtool check metrics` on `text`; its exit code and output. */
function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(text);
  });
}

function requirePromtool(): void {
  assert.ok(
    existsSync(PROMTOOL),
    `promtool not found at ${PROMTOOL}: install the Debian package \`prometheus\` (apt-get install prometheus), or set PROMTOOL to its path`,
  );
}

/** Vigil's metrics with every family registered and observed (the self-metrics too). */
function observedMetrics(processMetrics: boolean) {
  const { log } = captureLogger();
  const metrics = createMetrics({ maxSeriesPerMetric: 50, logger: log, defaultMetrics: processMetrics });
  const { http, agent } = metrics;
  for (const [route, status] of [
    ['/v1/sessions/:sessionId/messages', '200'],
    ['__unmatched__', '404'],
    ['/boom', '500'],
  ] as const) {
    const labels = { method: 'POST', route, status };
    http.requests.inc(labels);
    http.duration.observe(labels, 0.3);
    if (status === '500') http.errors.inc({ method: 'POST', route });
  }
  http.inFlight.inc();
  agent.recordInvocation({ agent: 'support', status: 'ok' });
  agent.recordToolCall({ agent: 'support', tool: 'search', status: 'ok' });
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
  agent.recordLlmCall({ model: 'gpt-4o', provider: 'openai', durationSeconds: 0.1, errorType: 'rate_limited' });
  const custom = metrics.counter({
    name: 'escalations_total',
    help: 'Escalations to a human.',
    labelNames: ['reason'],
  });
  for (let i = 0; i < 60; i++) custom.inc({ reason: `r${i}` }); // past the limit: the dropped counter has a sample
  custom.inc({ reason: 'r0' }, Number.NaN); // refused: the rejected counter has one too
  return metrics;
}

const FAMILIES = [
  'http_requests_total',
  'http_request_duration_seconds',
  'http_request_errors_total',
  'http_requests_in_flight',
  'vigil_agent_invocations_total',
  'vigil_agent_tool_calls_total',
  'vigil_agent_turns_total',
  'vigil_agent_guardrail_retries_total',
  'vigil_agent_budget_exhausted_total',
  'gen_ai_client_token_usage',
  'gen_ai_client_operation_duration_seconds',
  'vigil_gen_ai_client_errors_total',
  'vigil_metrics_dropped_series_total',
  'vigil_metrics_rejected_samples_total',
];

test('promtool check metrics passes, without a single lint complaint, on every Vigil family observed', async () => {
  requirePromtool();
  const text = await renderMetrics(observedMetrics(false).registry, 'prometheus');
  for (const family of FAMILIES) {
    assert.match(text, new RegExp(`^# TYPE ${family} `, 'm'), `${family} is exposed`);
    assert.match(text, new RegExp(`^${family}(?:_bucket|_sum|_count)?(?:\\{| )`, 'm'), `${family} has a sample`);
  }
  const { code, output } = await promtoolCheck(text);
  assert.equal(code, 0, `promtool check metrics failed:\n${output}`);
  assert.equal(output.trim(), '');
});

test("with process metrics on, promtool passes too: prom-client's nodejs_active_*_total gauges are left out", async () => {
  requirePromtool();
  const text = await renderMetrics(observedMetrics(true).registry, 'prometheus');
  assert.match(text, /^process_cpu_seconds_total \d/m);
  assert.match(text, /^nodejs_active_handles\{type=/m);
  assert.doesNotMatch(text, /nodejs_active_\w+_total/);
  const { code, output } = await promtoolCheck(text);
  assert.equal(code, 0, `promtool check metrics failed:\n${output}`);
  assert.equal(output.trim(), '');
});
