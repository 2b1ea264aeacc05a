// Everything the browser test looks at: real Prometheus (with 7 days of replayed agent history), a node exporter,
// the fake agent, and the dashboard server in front.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RunningPeer, startNodeExporter, startPrometheus } from '@vigil/test-peers';
import { type AgentServer, startAgentServer } from './agent-server.js';
import { type DashboardServer, startDashboardServer } from './dashboard-server.js';
import { DemoWorkload, snapshot, XSS_VALUE } from './demo-workload.js';
import { RecordsApi } from './records-api.js';
import { remoteWrite, type WriteSeries } from './remote-write.js';

/** The admin token of the dashboard server. */
export const ADMIN_TOKEN = 'dashboard-test-token';
const AGENT_TOKEN = 'agent-admin-token';
/** Seven days of history, as the speed goal asks: every 15 s for the last 6 h, every 5 min before. */
const HISTORY_MS = 7 * 86_400_000;
const FINE_HISTORY_MS = 6 * 3600_000;
const COARSE_STEP_MS = 300_000;
const READY_TIMEOUT_MS = 30_000;

/** The running stack. */
export interface DemoStack {
  dashboard: DashboardServer;
  /** The same, as a service without alerting and without the health proxy yet. */
  partial: DashboardServer;
  prometheus: RunningPeer;
  stop(): Promise<void>;
}

// Error ratios over an hour: the replayed history holds hundreds of calls, so 3% failures always clear 1%.
const RULES = `groups:
  - name: agents
    interval: 2s
    rules:
      - alert: HighLlmErrorRate
        expr: sum(rate(vigil_gen_ai_client_errors_total[1h])) / sum(rate(gen_ai_client_operation_duration_seconds_count[1h])) > 0.01
        labels:
          severity: warning
        annotations:
          summary: LLM calls fail more than 1% of the time
      - alert: LlmErrorRateSustained
        expr: sum(rate(vigil_gen_ai_client_errors_total[1h])) / sum(rate(gen_ai_client_operation_duration_seconds_count[1h])) > 0.01
        for: 1h
        labels:
          severity: critical
        annotations:
          summary: 'Error rate high for an hour (${XSS_VALUE.replaceAll("'", "''")})'
      - alert: TargetDown
        expr: up == 0
        for: 5m
        labels:
          severity: critical
`;

/** Starts the stack; `stop()` ends every process and removes temp files. */
export async function startDemoStack(): Promise<DemoStack> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dashboard-test-'));
  const stops: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => {});
  };
  try {
    const now = Date.now();
    const workload = new DemoWorkload(now - HISTORY_MS - ((now - HISTORY_MS) % COARSE_STEP_MS));
    const agentPort = await freePort();
    const agent: AgentServer = await startAgentServer(workload, agentPort, AGENT_TOKEN);
    stops.push(() => agent.close());
    const node = await startNodeExporter();
    stops.push(() => node.stop());
    const rules = join(dir, 'rules.yml');
    writeFileSync(rules, RULES);
    const promPort = await freePort();
    const config = `global:
  scrape_interval: 2s
  evaluation_interval: 2s
storage:
  tsdb:
    out_of_order_time_window: 8d
rule_files:
  - ${rules}
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:${promPort}']
  - job_name: node
    static_configs:
      - targets: ['${new URL(node.url).host}']
        labels:
          note: '${XSS_VALUE}'
  - job_name: support-agent
    static_configs:
      - targets: ['127.0.0.1:${agentPort}']
`;
    const prometheus = await startPrometheus(config, promPort, ['--web.enable-remote-write-receiver']);
    stops.push(() => prometheus.stop());
    await replayHistory(workload, prometheus.url, { job: 'support-agent', instance: `127.0.0.1:${agentPort}` }, now);
    agent.open();
    const records = new RecordsApi();
    await records.seed(now);
    stops.push(async () => records.sessions.close());
    const dashboard = await startDashboardServer({
      prometheusUrl: prometheus.url,
      token: ADMIN_TOKEN,
      targetToken: AGENT_TOKEN,
      records,
    });
    stops.push(() => dashboard.close());
    const partial = await startDashboardServer({
      prometheusUrl: prometheus.url,
      token: ADMIN_TOKEN,
      targetToken: AGENT_TOKEN,
      missing: ['/api/v1/alerts', '/api/v1/rules', '/api/vigil/'],
    });
    stops.push(() => partial.close());
    await waitForTargetsUp(prometheus.url, 3);
    return { dashboard, partial, prometheus, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs the workload from its start to `untilMs`, writing a sample of every series at every step. */
async function replayHistory(
  workload: DemoWorkload,
  prometheusUrl: string,
  target: Record<string, string>,
  untilMs: number,
): Promise<void> {
  let batch = new Map<string, WriteSeries>();
  let steps = 0;
  const flush = async () => {
    if (batch.size > 0) await remoteWrite(prometheusUrl, [...batch.values()]);
    batch = new Map();
  };
  while (workload.clock + 15_000 <= untilMs - 15_000) {
    workload.advanceTo(workload.clock + 15_000);
    if (untilMs - workload.clock > FINE_HISTORY_MS && workload.clock % COARSE_STEP_MS !== 0) continue;
    for (const { labels, value } of await snapshot(workload.metrics)) {
      const all = { ...labels, ...target };
      const key = JSON.stringify(all);
      let series = batch.get(key);
      if (series === undefined) {
        series = { labels: all, samples: [] };
        batch.set(key, series);
      }
      series.samples.push({ timestampMs: workload.clock, value });
    }
    if (++steps % 240 === 0) await flush();
  }
  await flush();
}

/** Waits (bounded) until Prometheus reports `count` targets up. */
async function waitForTargetsUp(prometheusUrl: string, count: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent('count(up == 1)')}`);
    const body = (await response.json()) as { data?: { result?: { value: [number, string] }[] } };
    last = body.data?.result?.[0]?.value[1] ?? '0';
    if (Number(last) >= count) return;
    // A real Prometheus scraping on its own schedule: polling is the only way to know.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`only ${last} of ${count} targets up after ${READY_TIMEOUT_MS} ms`);
}
