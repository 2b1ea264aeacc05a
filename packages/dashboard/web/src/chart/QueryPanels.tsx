// Panels fed by PromQL over the view's time range: a chart of range queries, and single-number stats.
import { useMemo } from 'react';
import { type InstantResult, type MatrixSeries, prometheusApi } from '../api/prometheus.js';
import { useNavigation } from '../app/location.js';
import { useData, useLiveData } from '../live/use-live-data.js';
import { type ResolvedRange, rangeDuration, rateWindow, resolveRange } from '../time/range.js';
import { Empty, ErrorMessage, Loaded, Panel, Stat } from '../ui/Panel.js';
import { legendName, toColumns } from './series.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';
import { formatValue, type Unit } from './units.js';

/** A PromQL expression; `$window` becomes the rate window and `$range` the whole range (e.g. `300s`). */
export interface PanelQuery {
  expr: string;
  /** Legend template, e.g. `{{gen_ai_request_model}}`. */
  legend?: string;
}

/** `expr` with `$window` and `$range` filled in for `range`. */
export function expand(expr: string, range: ResolvedRange): string {
  return expr.replaceAll('$window', rateWindow(range)).replaceAll('$range', rangeDuration(range));
}

/** Runs range queries over the view's time range, refreshed live. */
export function useRangeQueries(queries: readonly PanelQuery[]) {
  const { location, navigate } = useNavigation();
  const api = prometheusApi(useData().client);
  const range = location.range;
  const key = JSON.stringify([queries, range]);
  const state = useLiveData(key, async (signal) => {
    const resolved = resolveRange(range, Date.now());
    const results = await Promise.all(
      queries.map((q) => api.queryRange(expand(q.expr, resolved), resolved.start, resolved.end, resolved.step, signal)),
    );
    const series: MatrixSeries[] = [];
    const names: string[] = [];
    const notes = results.flatMap((result) => [...(result.warnings ?? []), ...(result.infos ?? [])]);
    results.forEach((result, i) => {
      for (const s of result.result) {
        series.push(s);
        names.push(legendName(s.metric, queries[i]?.legend));
      }
    });
    return { columns: toColumns(series, resolved), names, notes };
  });
  const onZoom = (from: number, to: number) => navigate({ range: { kind: 'absolute', from, to } });
  return { state, onZoom };
}

/** A chart panel of one or more range queries. */
export function ChartPanel(props: {
  title: string;
  queries: readonly PanelQuery[];
  unit?: Unit;
  span?: number;
  height?: number;
}) {
  const { state, onZoom } = useRangeQueries(props.queries);
  return (
    <Panel title={props.title} span={props.span ?? 6}>
      <Loaded state={state}>
        {(data) =>
          data.names.length === 0 ? (
            <Empty>No data in this range</Empty>
          ) : (
            <TimeSeriesChart
              columns={data.columns}
              names={data.names}
              unit={props.unit}
              height={props.height ?? 180}
              onZoom={onZoom}
            />
          )
        }
      </Loaded>
    </Panel>
  );
}

/** The first number of an instant query's answer, or undefined when it is empty. */
export function firstValue(result: InstantResult): number | undefined {
  if (result.resultType === 'scalar') return Number(result.result[1]);
  if (result.resultType === 'vector' && result.result[0] !== undefined) return Number(result.result[0].value[1]);
  return undefined;
}

/** Runs an instant query at the end of the view's time range, refreshed live. */
export function useInstantQuery(expr: string) {
  const { location } = useNavigation();
  const api = prometheusApi(useData().client);
  const range = location.range;
  return useLiveData(JSON.stringify([expr, range]), (signal) => {
    const resolved = resolveRange(range, Date.now());
    return api.query(expand(expr, resolved), resolved.at, signal);
  });
}

/** A big number from an instant query; `level` colors it from the value. */
export function QueryStat(props: {
  label: string;
  expr: string;
  unit?: Unit;
  level?: (value: number) => 'ok' | 'warn' | 'bad' | undefined;
  hint?: string;
  format?: (value: number | undefined) => string;
}) {
  const state = useInstantQuery(props.expr);
  const value = state.data === undefined ? undefined : firstValue(state.data);
  const text = useMemo(() => {
    if (state.data === undefined) return state.error === undefined ? '…' : '!';
    if (props.format !== undefined) return props.format(value);
    return value === undefined ? '–' : formatValue(value, props.unit);
  }, [state.data, state.error, value, props.format, props.unit]);
  const level = value === undefined ? undefined : props.level?.(value);
  return (
    <>
      <Stat label={props.label} value={text} level={level} hint={state.error?.message ?? props.hint ?? props.expr} />
      {state.error !== undefined && state.data === undefined && <ErrorMessage error={state.error} />}
    </>
  );
}
