// Error log lines per bucket and service, from the log store's timeline (`/api/vigil/logs/errors`).
import { useNavigation } from '../../app/location.js';
import type { Columns } from '../../chart/series.js';
import { TimeSeriesChart } from '../../chart/TimeSeriesChart.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { resolveRange } from '../../time/range.js';
import { Empty, Loaded, Panel } from '../../ui/Panel.js';

/** The route of the error timeline. */
export const LOG_TIMELINE_PATH = '/api/vigil/logs/errors';

interface ErrorBucket {
  ts: number;
  service: string | null;
  count: number;
}

/** Error lines per minute-ish bucket, one series per service. */
export function LogTimelinePanel({ service, minLevel }: { service: string; minLevel: string }) {
  const { client } = useData();
  const { location, navigate } = useNavigation();
  const range = location.range;
  const state = useLiveData(`timeline:${service}:${minLevel}:${JSON.stringify(range)}`, async (signal) => {
    const r = resolveRange(range, Date.now());
    const body = await client.getJson<unknown>(
      LOG_TIMELINE_PATH,
      {
        since: r.start * 1000,
        until: (r.end + r.step) * 1000,
        // Milliseconds; the answer is `{since, until, step_ms, buckets}`.
        step: r.step * 1000,
        service: service || undefined,
        min_level: minLevel || undefined,
      },
      { signal },
    );
    const buckets = (Array.isArray(body) ? body : ((body as { buckets?: unknown })?.buckets ?? [])) as ErrorBucket[];
    return toTimeline(buckets, r.start, r.end, r.step);
  });
  return (
    <Panel title="Error log lines per bucket by service" span={12}>
      <Loaded state={state} api={LOG_TIMELINE_PATH} what="The error timeline needs log ingest">
        {(data) =>
          data.names.length === 0 ? (
            <Empty>No error lines in this range</Empty>
          ) : (
            <TimeSeriesChart
              columns={data.columns}
              names={data.names}
              height={140}
              onZoom={(from, to) => navigate({ range: { kind: 'absolute', from, to } })}
            />
          )
        }
      </Loaded>
    </Panel>
  );
}

/** Buckets (epoch ms) on the step grid (unix seconds), zero where a service wrote no error line. */
export function toTimeline(buckets: readonly ErrorBucket[], start: number, end: number, step: number) {
  const xs: number[] = [];
  for (let t = start; t <= end; t += step) xs.push(t);
  const byService = new Map<string, number[]>();
  for (const bucket of buckets) {
    const name = bucket.service ?? '(no service)';
    let column = byService.get(name);
    if (column === undefined) {
      column = new Array(xs.length).fill(0);
      byService.set(name, column);
    }
    const i = Math.round((bucket.ts / 1000 - start) / step);
    if (i >= 0 && i < xs.length) column[i]! += bucket.count;
  }
  const names = [...byService.keys()].sort();
  const columns: Columns = [xs, ...names.map((name) => byService.get(name)!)];
  return { columns, names };
}
