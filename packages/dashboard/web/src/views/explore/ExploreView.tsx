// Explore: a PromQL query as a chart (range query) or a table (instant query); the query lives in the URL.
import { type InstantResult, prometheusApi } from '../../api/prometheus.js';
import { useNavigation } from '../../app/location.js';
import { useRangeQueries } from '../../chart/QueryPanels.js';
import { seriesName } from '../../chart/series.js';
import { TimeSeriesChart } from '../../chart/TimeSeriesChart.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { formatDateTime, resolveRange } from '../../time/range.js';
import { Empty, Loaded, Panel, QueryNotesList } from '../../ui/Panel.js';
import { QueryEditor } from './QueryEditor.js';

/** The explore view. */
export function ExploreView() {
  const { location, navigate } = useNavigation();
  const query = location.params.get('q') ?? '';
  const tab = location.params.get('tab') === 'table' ? 'table' : 'graph';
  return (
    <div className="grid">
      <Panel
        title="Query"
        span={12}
        actions={
          <div className="tabs" role="tablist">
            {(['graph', 'table'] as const).map((t) => (
              <button
                type="button"
                role="tab"
                key={t}
                aria-selected={tab === t}
                onClick={() => navigate({ params: { tab: t === 'graph' ? undefined : t } })}
              >
                {t === 'graph' ? 'Graph' : 'Table'}
              </button>
            ))}
          </div>
        }
      >
        <QueryEditor initial={query} onRun={(q) => navigate({ params: { q } })} />
      </Panel>
      {query === '' ? (
        <Panel title="Result" span={12}>
          <Empty>Type a PromQL expression and press Enter</Empty>
        </Panel>
      ) : tab === 'graph' ? (
        <GraphResult query={query} />
      ) : (
        <TableResult query={query} />
      )}
    </div>
  );
}

function GraphResult({ query }: { query: string }) {
  const { state, onZoom } = useRangeQueries([{ expr: query }]);
  return (
    <Panel title="Graph" span={12}>
      <Loaded state={state}>
        {(data) => (
          <>
            <QueryNotesList notes={data.notes} />
            {data.names.length === 0 ? (
              <Empty>No series in this range</Empty>
            ) : (
              <TimeSeriesChart columns={data.columns} names={data.names} height={320} onZoom={onZoom} />
            )}
          </>
        )}
      </Loaded>
    </Panel>
  );
}

function TableResult({ query }: { query: string }) {
  const { client } = useData();
  const { location } = useNavigation();
  const range = location.range;
  const state = useLiveData(JSON.stringify(['instant', query, range]), (signal) => {
    const { at } = resolveRange(range, Date.now());
    return prometheusApi(client)
      .query(query, at, signal)
      .then((result) => ({ result, at }));
  });
  return (
    <Panel title="Table" span={12}>
      <Loaded state={state}>
        {({ result, at }) => (
          <>
            <p className="muted small">Evaluated at {formatDateTime(at * 1000)}</p>
            <QueryNotesList notes={[...(result.warnings ?? []), ...(result.infos ?? [])]} />
            <InstantTable result={result} />
          </>
        )}
      </Loaded>
    </Panel>
  );
}

function InstantTable({ result }: { result: InstantResult }) {
  if (result.resultType === 'scalar' || result.resultType === 'string') {
    return (
      <table className="table">
        <tbody>
          <tr>
            <td>{result.resultType}</td>
            <td className="num">{result.result[1]}</td>
          </tr>
        </tbody>
      </table>
    );
  }
  if (result.result.length === 0) return <Empty>Empty result</Empty>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Series</th>
            <th className="num">{result.resultType === 'vector' ? 'Value' : 'Samples'}</th>
          </tr>
        </thead>
        <tbody>
          {result.resultType === 'vector'
            ? result.result.map((s) => (
                <tr key={seriesName(s.metric)}>
                  <td className="mono">{seriesName(s.metric)}</td>
                  <td className="num">{s.value[1]}</td>
                </tr>
              ))
            : result.result.map((s) => (
                <tr key={seriesName(s.metric)}>
                  <td className="mono">{seriesName(s.metric)}</td>
                  <td className="num">{s.values.map(([t, v]) => `${v} @${t}`).join('  ')}</td>
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}
