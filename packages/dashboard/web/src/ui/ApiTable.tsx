// A panel over a Vigil API that may not exist yet: the rows as a plain table, or "needs <API>".
import type { Params } from '../api/client.js';
import { useNavigation } from '../app/location.js';
import { useData, useLiveData } from '../live/use-live-data.js';
import { resolveRange } from '../time/range.js';
import { Empty, Loaded } from './Panel.js';

/**
 * Rows of `path` (an array, or `data`/`items`/`rows` of the answer) as a table of text cells; with `withRange`,
 * `start` and `end` (unix seconds) of the view's range are added to the parameters at each load.
 */
export function ApiTable(props: {
  path: string;
  params?: Params;
  what: string;
  columns?: string[];
  withRange?: boolean;
}) {
  const { path, params, what, columns, withRange = false } = props;
  const { client } = useData();
  const { location } = useNavigation();
  const range = withRange ? location.range : undefined;
  const state = useLiveData(`api:${path}:${JSON.stringify([params ?? {}, range])}`, (signal) => {
    const resolved = range === undefined ? undefined : resolveRange(range, Date.now());
    const all = resolved === undefined ? params : { ...params, start: resolved.start, end: resolved.end };
    return client.getJson<unknown>(path, all, { signal });
  });
  return (
    <Loaded state={state} api={path} what={what}>
      {(body) => <RowsTable rows={rowsOf(body)} columns={columns} />}
    </Loaded>
  );
}

/** Objects as a table: one column per key (or the given ones), every cell as text. */
export function RowsTable({ rows, columns }: { rows: Record<string, unknown>[]; columns?: string[] }) {
  if (rows.length === 0) return <Empty>Nothing in this range</Empty>;
  const keys = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))].slice(0, 12);
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            {keys.map((key) => (
              <th key={key}>{key}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of an API answer have no identity of their own
            <tr key={i}>
              {keys.map((key) => (
                <td key={key}>{cellText(row[key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function rowsOf(body: unknown): Record<string, unknown>[] {
  const isRows = (value: unknown): value is Record<string, unknown>[] =>
    Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null);
  if (isRows(body)) return body;
  if (typeof body === 'object' && body !== null) {
    for (const key of ['data', 'items', 'rows', 'result']) {
      const inner = (body as Record<string, unknown>)[key];
      if (isRows(inner)) return inner;
      if (typeof inner === 'object' && inner !== null) return rowsOf(inner);
    }
  }
  return [];
}
