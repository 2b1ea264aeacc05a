// Spend: today, this week, this month, burn rate and projection, per day and per model, from vigil_llm_cost_usd_total.
import { prometheusApi, type VectorSample } from '../../api/prometheus.js';
import { useNavigation } from '../../app/location.js';
import { firstValue } from '../../chart/QueryPanels.js';
import { formatValue } from '../../chart/units.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { rangeDuration, resolveRange } from '../../time/range.js';
import { Empty, Loaded, Panel, Stat } from '../../ui/Panel.js';
import { dailySpendQuery, dayLabel, PROJECTION_METHOD, spendQueries } from './spend-queries.js';

type Figure = 'today' | 'week' | 'month' | 'burnPerHour' | 'projectedMonth' | 'unpriced';
const FIGURES: readonly Figure[] = ['today', 'week', 'month', 'burnPerHour', 'projectedMonth', 'unpriced'];

interface Spend {
  figures: Record<Figure, number | undefined>;
  exprs: Record<Figure, string>;
  days: { day: string; usd: number }[];
  models: { model: string; usd: number }[];
}

/** USD as elsewhere, but a few cents' spend of a cheap model keeps two significant digits instead of `$0.00`. */
function usd(value: number | undefined): string {
  if (value !== undefined && value !== 0 && Math.abs(value) < 0.01) {
    return `$${value.toFixed(Math.min(8, 1 - Math.floor(Math.log10(Math.abs(value)))))}`;
  }
  return formatValue(value, 'usd');
}

const NO_COST_METRIC =
  'No vigil_llm_cost_usd_total: no service records LLM calls with @vigil/sdk/recording and a price';

/** The spend stats, spend per UTC day and spend by model, for the model/provider filter `m`. */
export function SpendPanels({ m }: { m: string }) {
  const { client } = useData();
  const { location } = useNavigation();
  const range = location.range;
  const state = useLiveData(`spend ${JSON.stringify([m, range])}`, async (signal): Promise<Spend> => {
    const api = prometheusApi(client);
    const resolved = resolveRange(range, Date.now());
    const at = resolved.at;
    const queries = spendQueries(m, at, rangeDuration(resolved));
    const daily = dailySpendQuery(m, resolved.start, at);
    const [answers, days, models] = await Promise.all([
      Promise.all(FIGURES.map((figure) => api.query(queries[figure], at, signal))),
      api.queryRange(daily.expr, daily.start, daily.end, daily.step, signal),
      api.query(queries.byModel, at, signal),
    ]);
    const figures = {} as Spend['figures'];
    FIGURES.forEach((figure, i) => {
      figures[figure] = firstValue(answers[i]!);
    });
    return {
      figures,
      exprs: queries,
      days: (days.result[0]?.values ?? []).map(([t, v]) => ({ day: dayLabel(t), usd: Number(v) })).reverse(),
      models:
        models.resultType === 'vector'
          ? (models.result as VectorSample[]).map((s) => ({
              model: s.metric.gen_ai_request_model ?? '',
              usd: Number(s.value[1]),
            }))
          : [],
    };
  });

  return (
    <>
      <Panel title="Spend" span={12} className="stats-panel">
        <Loaded state={state}>
          {({ figures, exprs }) => (
            <div className="stats">
              <Stat label="today (UTC)" value={usd(figures.today)} hint={exprs.today} />
              <Stat label="this week (from Monday)" value={usd(figures.week)} hint={exprs.week} />
              <Stat label="this month" value={usd(figures.month)} hint={exprs.month} />
              <Stat label="burn rate / hour (last hour)" value={usd(figures.burnPerHour)} hint={exprs.burnPerHour} />
              <Stat
                label="projected month"
                value={usd(figures.projectedMonth)}
                hint={`${PROJECTION_METHOD}\n${exprs.projectedMonth}`}
              />
              <Stat
                label="unpriced calls in range"
                value={formatValue(figures.unpriced, 'count')}
                level={figures.unpriced !== undefined && figures.unpriced >= 0.5 ? 'warn' : undefined}
                hint={`Calls recorded with no cost (no price for the model): not in the spend.\n${exprs.unpriced}`}
              />
            </div>
          )}
        </Loaded>
        <p className="muted" style={{ flexBasis: '100%', margin: 0 }}>
          Periods are UTC and end at the time range's end. Projected month: {PROJECTION_METHOD}
        </p>
      </Panel>
      <Panel title="Spend per day (UTC)" span={6}>
        <Loaded state={state}>
          {({ days }) =>
            days.length === 0 ? <Empty>{NO_COST_METRIC}</Empty> : <SpendTable rows={days} first="Day" name="day" />
          }
        </Loaded>
      </Panel>
      <Panel title="Spend by model in range" span={6}>
        <Loaded state={state}>
          {({ models }) =>
            models.length === 0 ? (
              <Empty>{NO_COST_METRIC}</Empty>
            ) : (
              <SpendTable rows={models} first="Model" name="model" />
            )
          }
        </Loaded>
      </Panel>
    </>
  );
}

/** Rows of a name and a USD amount, each with a bar relative to the largest. */
function SpendTable<K extends string>(props: {
  rows: ({ usd: number } & Record<K, string>)[];
  first: string;
  name: K;
}) {
  const top = Math.max(0, ...props.rows.map((row) => row.usd));
  return (
    <table className="table">
      <thead>
        <tr>
          <th>{props.first}</th>
          <th className="num">Spend</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row[props.name]}>
            <td>{row[props.name]}</td>
            <td className="num">{usd(row.usd)}</td>
            <td>
              <span className="bar" style={{ width: 200 }}>
                <span className="bar-fill" style={{ width: `${top > 0 ? (row.usd / top) * 100 : 0}%` }} />
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
