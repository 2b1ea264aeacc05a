// LLM & cost: calls, tokens, latency, errors and retries by model, spend per period and model, and budgets.

import { useNavigation } from '../../app/location.js';
import { ChartPanel, QueryStat } from '../../chart/QueryPanels.js';
import { ApiTable } from '../../ui/ApiTable.js';
import { LabelFilter } from '../../ui/LabelFilter.js';
import { Panel } from '../../ui/Panel.js';
import { matchers } from '../../ui/promql.js';
import { BudgetsPanel } from './BudgetsPanel.js';
import { LLM_SERIES, llmQueries } from './queries.js';
import { SpendPanels } from './SpendPanels.js';

/** The LLM & cost view. */
export function LlmView() {
  const { location } = useNavigation();
  const m = matchers({
    gen_ai_request_model: location.params.get('gen_ai_request_model'),
    gen_ai_provider_name: location.params.get('gen_ai_provider_name'),
  });
  const q = llmQueries(m);
  return (
    <div className="grid">
      <Panel title="LLM calls" span={12} className="stats-panel">
        <div className="filters inline">
          <LabelFilter label="gen_ai_request_model" title="Model" match={LLM_SERIES} />
          <LabelFilter label="gen_ai_provider_name" title="Provider" match={LLM_SERIES} />
        </div>
        <div className="stats">
          <QueryStat label="calls in range" unit="count" expr={q.callsTotal} />
          <QueryStat label="tokens in range" unit="count" expr={q.tokensTotal} />
          <QueryStat
            label="error rate"
            expr={q.errorRatio}
            unit="percent"
            level={(v) => (v > 0.05 ? 'bad' : v > 0.01 ? 'warn' : 'ok')}
          />
          <QueryStat label="latency p95" expr={q.p95Total} unit="seconds" />
          <QueryStat
            label="lowest budget left"
            expr="min(vigil_budget_remaining_usd / on (budget) group_left () vigil_budget_limit_usd)"
            unit="percent"
            level={(v) => (v < 0.05 ? 'bad' : v < 0.2 ? 'warn' : 'ok')}
          />
        </div>
      </Panel>
      <SpendPanels m={m} />
      <ChartPanel title="Calls per hour by model" queries={q.callsPerHourByModel} unit="perHour" />
      <ChartPanel title="Tokens per hour by model and type" queries={q.tokensPerHour} unit="perHour" />
      <ChartPanel title="Latency p50 / p95 / p99" queries={q.latency} unit="seconds" />
      <ChartPanel title="Latency p95 by model" queries={q.latencyByModel} unit="seconds" />
      <ChartPanel title="Error rate by error type" queries={q.errorRatioByType} unit="percent" />
      <ChartPanel title="Guardrail retries per hour" queries={q.retriesPerHour} unit="perHour" />
      <ChartPanel title="Calls per hour by provider and operation" queries={q.callsPerHourByOperation} unit="perHour" />
      <ChartPanel title="Budget spend" queries={q.spend} unit="usd" />
      <BudgetsPanel span={12} />
      <Panel title="Calls, cost and latency by task type and model (invocation log)" span={12}>
        <ApiTable
          path="/api/vigil/invocations/summary"
          params={{ by: 'task_type_and_model' }}
          rangeParams={['since', 'until']}
          what="Spend per task type needs the invocation log"
          columns={[
            { key: 'task_type', title: 'Task type' },
            { key: 'model', title: 'Model' },
            { key: 'calls', title: 'Calls' },
            { key: 'errors', title: 'Errors' },
            { key: 'error_rate', title: 'Error rate', format: 'percent' },
            { key: 'tokens_in', title: 'Tokens in' },
            { key: 'tokens_out', title: 'Tokens out' },
            { key: 'cost_usd', title: 'Cost', format: 'usd' },
            { key: 'latency_p50_ms', title: 'p50', format: 'ms' },
            { key: 'latency_p95_ms', title: 'p95', format: 'ms' },
            { key: 'latency_p99_ms', title: 'p99', format: 'ms' },
          ]}
        />
      </Panel>
    </div>
  );
}
