// Budgets: spend, limit, remaining and burn rate per budget, from the SDK's budget gauges.
import { prometheusApi, type VectorSample } from '../../api/prometheus.js';
import { formatValue } from '../../chart/units.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { Empty, Loaded, Panel, StatusDot } from '../../ui/Panel.js';
import { BUDGET_QUERIES } from './queries.js';

interface BudgetRow {
  budget: string;
  app: string;
  spend?: number;
  remaining?: number;
  limit?: number;
  burn?: number;
}

/** The budgets table. */
export function BudgetsPanel({ span }: { span: number }) {
  const { client } = useData();
  const state = useLiveData('budgets', async (signal) => {
    const api = prometheusApi(client);
    const now = Date.now() / 1000;
    const entries = Object.entries(BUDGET_QUERIES) as [keyof typeof BUDGET_QUERIES, string][];
    const answers = await Promise.all(entries.map(([, expr]) => api.query(expr, now, signal)));
    const rows = new Map<string, BudgetRow>();
    const limits = new Map<string, number>();
    answers.forEach((answer, i) => {
      const field = entries[i]![0];
      if (answer.resultType !== 'vector') return;
      for (const sample of answer.result as VectorSample[]) {
        const budget = sample.metric.budget ?? '';
        const value = Number(sample.value[1]);
        if (field === 'limit') {
          limits.set(budget, value);
          continue;
        }
        const app = sample.metric.app ?? '';
        const key = `${budget}\u0000${app}`;
        const row = rows.get(key) ?? { budget, app };
        row[field] = value;
        rows.set(key, row);
      }
    });
    for (const row of rows.values()) row.limit = limits.get(row.budget);
    return [...rows.values()].sort((a, b) => a.budget.localeCompare(b.budget) || a.app.localeCompare(b.app));
  });

  return (
    <Panel title="Budgets" span={span}>
      <Loaded state={state}>
        {(rows) =>
          rows.length === 0 ? (
            <Empty>No budget metrics (vigil_budget_*): no service uses @vigil/sdk/cost budgets</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Budget</th>
                  <th>App</th>
                  <th className="num">Spent</th>
                  <th className="num">Limit</th>
                  <th className="num">Remaining</th>
                  <th className="num">Burn / day</th>
                  <th>Used</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const used =
                    row.limit !== undefined && row.spend !== undefined && row.limit > 0
                      ? row.spend / row.limit
                      : undefined;
                  const level = used === undefined ? 'unknown' : used >= 0.95 ? 'bad' : used >= 0.8 ? 'warn' : 'ok';
                  return (
                    <tr key={`${row.budget}|${row.app}`}>
                      <td>{row.budget}</td>
                      <td className="muted">{row.app}</td>
                      <td className="num">{formatValue(row.spend, 'usd')}</td>
                      <td className="num">{formatValue(row.limit, 'usd')}</td>
                      <td className="num">{formatValue(row.remaining, 'usd')}</td>
                      <td className="num">{formatValue(row.burn, 'usd')}</td>
                      <td>
                        <StatusDot level={level} label={formatValue(used, 'percent')} />
                        <span className="bar">
                          <span
                            className={`bar-fill bar-${level}`}
                            style={{ width: `${Math.min(100, (used ?? 0) * 100)}%` }}
                          />
                        </span>
                      </td>
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
