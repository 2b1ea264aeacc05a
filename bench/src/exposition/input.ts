// A large, realistic Prometheus text exposition, generated the same way in every process:
// what a busy service with HTTP, RPC, runtime and per-agent metrics serves on /metrics.

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const ROUTES = ['/v1/sessions/:id/messages', '/v1/sessions', '/healthz', '/readyz', '/metrics', '/api/v1/query'];
const CODES = ['200', '201', '400', '404', '500'];
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet', 'claude-haiku', 'llama-3-70b'];

/** Deterministic pseudo-random numbers, so every process parses the same text. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Builds an exposition with about `targetSeries` series (HELP and TYPE for each family). */
export function generateExposition(targetSeries: number): string {
  const next = random(42);
  const lines: string[] = [];
  let series = 0;
  let instance = 0;
  while (series < targetSeries) {
    const pod = `agent-${instance.toString(36).padStart(4, '0')}-7f9c4d`;
    instance++;
    lines.push(
      '# HELP http_requests_total Total HTTP requests by method, route and status.',
      '# TYPE http_requests_total counter',
    );
    for (const method of METHODS) {
      for (const route of ROUTES) {
        const code = CODES[Math.floor(next() * CODES.length)]!;
        lines.push(
          `http_requests_total{code="${code}",method="${method}",pod="${pod}",route="${route}"} ${Math.floor(next() * 1e6)}`,
        );
        series++;
      }
    }
    lines.push(
      '# HELP http_request_duration_seconds Latency of HTTP requests.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const route of ROUTES) {
      let count = 0;
      for (const le of BUCKETS) {
        count += Math.floor(next() * 500);
        lines.push(`http_request_duration_seconds_bucket{le="${le}",pod="${pod}",route="${route}"} ${count}`);
        series++;
      }
      lines.push(`http_request_duration_seconds_sum{pod="${pod}",route="${route}"} ${(count * next()).toFixed(6)}`);
      lines.push(`http_request_duration_seconds_count{pod="${pod}",route="${route}"} ${count}`);
      series += 2;
    }
    lines.push('# HELP llm_tokens_total Tokens used by model and direction.', '# TYPE llm_tokens_total counter');
    for (const model of MODELS) {
      for (const direction of ['input', 'output']) {
        lines.push(
          `llm_tokens_total{direction="${direction}",model="${model}",pod="${pod}"} ${Math.floor(next() * 1e8)}`,
        );
        series++;
      }
    }
    lines.push('# HELP llm_cost_usd_total Spend in US dollars.', '# TYPE llm_cost_usd_total counter');
    for (const model of MODELS) {
      lines.push(`llm_cost_usd_total{model="${model}",pod="${pod}"} ${(next() * 1000).toFixed(4)}`);
      series++;
    }
    lines.push(
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes{pod="${pod}"} ${Math.floor(next() * 1e9)}`,
      '# HELP nodejs_eventloop_lag_seconds Event loop lag quantiles.',
      '# TYPE nodejs_eventloop_lag_seconds summary',
      `nodejs_eventloop_lag_seconds{pod="${pod}",quantile="0.5"} ${next().toExponential(6)}`,
      `nodejs_eventloop_lag_seconds{pod="${pod}",quantile="0.99"} ${next().toExponential(6)}`,
      `nodejs_eventloop_lag_seconds_sum{pod="${pod}"} ${(next() * 100).toFixed(3)}`,
      `nodejs_eventloop_lag_seconds_count{pod="${pod}"} ${Math.floor(next() * 1e5)}`,
    );
    series += 5;
  }
  return `${lines.join('\n')}\n`;
}
