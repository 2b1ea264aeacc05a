// Agents: invocations and turns by outcome, per-tool success rates, and the sessions (when the service has them).
import { prometheusApi } from '../../api/prometheus.js';
import { useNavigation } from '../../app/location.js';
import { ChartPanel, expand, QueryStat } from '../../chart/QueryPanels.js';
import { formatValue } from '../../chart/units.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { resolveRange } from '../../time/range.js';
import { ApiTable, type Column } from '../../ui/ApiTable.js';
import { LabelFilter } from '../../ui/LabelFilter.js';
import { Empty, Loaded, Panel, StatusDot } from '../../ui/Panel.js';
import { matchers } from '../../ui/promql.js';

/** The agents view. */
export function AgentsView() {
  const { location } = useNavigation();
  const agent = location.params.get('agent');
  const m = matchers({ agent });
  const failed = matchers({ agent, status: undefined });
  return (
    <div className="grid">
      <Panel title="Agents" span={12} className="stats-panel">
        <div className="filters inline">
          <LabelFilter label="agent" title="Agent" match="vigil_agent_invocations_total" />
        </div>
        <div className="stats">
          <QueryStat
            label="invocations in range"
            unit="count"
            expr={`sum(increase(vigil_agent_invocations_total${m}[$range]))`}
          />
          <QueryStat
            label="failed invocations"
            unit="count"
            expr={`sum(increase(vigil_agent_invocations_total${withStatus(failed, '!="ok"')}[$range])) or vector(0)`}
            level={(v) => (v > 0 ? 'warn' : 'ok')}
          />
          <QueryStat label="turns in range" unit="count" expr={`sum(increase(vigil_agent_turns_total${m}[$range]))`} />
          <QueryStat
            label="tool calls in range"
            unit="count"
            expr={`sum(increase(vigil_agent_tool_calls_total${m}[$range]))`}
          />
          <QueryStat
            label="tool success"
            unit="percent"
            expr={`sum(increase(vigil_agent_tool_calls_total${withStatus(m, '="ok"')}[$range])) / sum(increase(vigil_agent_tool_calls_total${m}[$range]))`}
            level={(v) => (v < 0.9 ? 'bad' : v < 0.99 ? 'warn' : 'ok')}
          />
        </div>
      </Panel>
      <ChartPanel
        title="Invocations per hour by outcome"
        unit="perHour"
        queries={[
          {
            expr: `sum by (agent, status) (rate(vigil_agent_invocations_total${m}[$window])) * 3600`,
            legend: '{{agent}} {{status}}',
          },
        ]}
      />
      <ChartPanel
        title="Tool calls per hour by tool"
        unit="perHour"
        queries={[
          { expr: `sum by (tool) (rate(vigil_agent_tool_calls_total${m}[$window])) * 3600`, legend: '{{tool}}' },
        ]}
      />
      <ToolSuccessPanel m={m} />
      <ChartPanel
        title="Turns per hour"
        unit="perHour"
        queries={[{ expr: `sum by (agent) (rate(vigil_agent_turns_total${m}[$window])) * 3600`, legend: '{{agent}}' }]}
      />
      <Panel title="Active sessions (elapsed, turns, tokens, tools)" span={12}>
        <ApiTable
          path="/api/vigil/sessions"
          params={{ status: 'open' }}
          what="Sessions need the session API"
          columns={SESSION_COLUMNS}
        />
      </Panel>
      <Panel title="Completed sessions" span={12}>
        <ApiTable
          path="/api/vigil/sessions"
          params={{ status: 'closed' }}
          what="Sessions need the session API"
          columns={SESSION_COLUMNS}
        />
      </Panel>
    </div>
  );
}

/** The SDK's session snapshot fields (docs/sessions.md), as the service relays them. */
const SESSION_COLUMNS: Column[] = [
  { key: 'session_id', title: 'Session' },
  { key: 'agent_id', title: 'Agent' },
  { key: 'app_id', title: 'App' },
  { key: 'model', title: 'Model' },
  { key: 'status', title: 'Status' },
  { key: 'created_at', title: 'Started', format: 'unix' },
  {
    key: 'elapsed',
    title: 'Elapsed',
    format: 'seconds',
    // Closed: how long it ran; open: how long it has been running.
    value: (row) => {
      if (typeof row.created_at !== 'number') return undefined;
      const end =
        row.status === 'closed' && typeof row.last_active_at === 'number' ? row.last_active_at : Date.now() / 1000;
      return end - row.created_at;
    },
  },
  { key: 'turn', title: 'Turns', value: (row) => (row.max_turns ? `${row.turn}/${row.max_turns}` : row.turn) },
  { key: 'total_tokens', title: 'Tokens' },
  { key: 'llm_calls', title: 'LLM calls' },
  { key: 'tool_calls_total', title: 'Tool calls' },
  { key: 'tool_calls_failed', title: 'Tool failures' },
];

/** `{a="x",status<op>}` — adds a status matcher to a matcher list. */
function withStatus(m: string, op: string): string {
  return m === '' ? `{status${op}}` : `${m.slice(0, -1)},status${op}}`;
}

function ToolSuccessPanel({ m }: { m: string }) {
  const { client } = useData();
  const { location } = useNavigation();
  const range = location.range;
  const state = useLiveData(`tools:${m}:${JSON.stringify(range)}`, async (signal) => {
    const resolved = resolveRange(range, Date.now());
    const expr = expand(`sum by (agent, tool, status) (increase(vigil_agent_tool_calls_total${m}[$range]))`, resolved);
    const answer = await prometheusApi(client).query(expr, resolved.at, signal);
    const tools = new Map<string, { agent: string; tool: string; ok: number; total: number; failures: string[] }>();
    if (answer.resultType === 'vector') {
      for (const { metric, value } of answer.result) {
        const key = `${metric.agent}\u0000${metric.tool}`;
        const row = tools.get(key) ?? {
          agent: metric.agent ?? '',
          tool: metric.tool ?? '',
          ok: 0,
          total: 0,
          failures: [],
        };
        const count = Number(value[1]);
        row.total += count;
        if (metric.status === 'ok') row.ok += count;
        else if (count >= 0.5) row.failures.push(`${metric.status} ${formatValue(Math.round(count))}`);
        tools.set(key, row);
      }
    }
    return [...tools.values()].sort((a, b) => a.ok / (a.total || 1) - b.ok / (b.total || 1));
  });
  return (
    <Panel title="Tool success rates" span={6}>
      <Loaded state={state}>
        {(rows) =>
          rows.length === 0 ? (
            <Empty>No tool calls in this range</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Tool</th>
                  <th>Agent</th>
                  <th className="num">Calls</th>
                  <th>Success</th>
                  <th>Failures</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const ratio = row.total > 0 ? row.ok / row.total : undefined;
                  const level = ratio === undefined ? 'unknown' : ratio < 0.9 ? 'bad' : ratio < 0.99 ? 'warn' : 'ok';
                  return (
                    <tr key={`${row.agent}|${row.tool}`}>
                      <td>{row.tool}</td>
                      <td className="muted">{row.agent}</td>
                      <td className="num">{formatValue(Math.round(row.total))}</td>
                      <td>
                        <StatusDot level={level} label={formatValue(ratio, 'percent')} />
                      </td>
                      <td className="error-text">{row.failures.join(', ')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </Panel>
  );
}
