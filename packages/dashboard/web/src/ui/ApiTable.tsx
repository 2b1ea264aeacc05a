// Panels over Vigil APIs that may not exist yet: rows as a table of text, or "needs <API>" on a 404.
import type { ReactNode } from 'react';
import type { Params } from '../api/client.js';
import { useNavigation } from '../app/location.js';
import { formatValue } from '../chart/units.js';
import { useData, useLiveData } from '../live/use-live-data.js';
import { formatDateTime, resolveRange } from '../time/range.js';
import { Empty, Loaded } from './Panel.js';

/**
 * How a cell is shown: as it is, a time (epoch ms, or unix seconds for `unix`), money, a ratio, milliseconds,
 * seconds, or long text folded.
 */
export type CellFormat = 'text' | 'time' | 'unix' | 'usd' | 'percent' | 'ms' | 'seconds' | 'long' | 'bool';

/** A column: the row's field, its heading, its format; `onClick` makes the value a link (e.g. a filter). */
export interface Column {
  key: string;
  /** Computes the cell from the whole row (default: the row's `key` field). */
  value?: (row: Record<string, unknown>) => unknown;
  title?: string;
  format?: CellFormat;
  onClick?: (value: string) => void;
}

/** Props of `ApiTable`. */
export interface ApiTableProps {
  path: string;
  params?: Params;
  /** What the panel says while the route is missing. */
  what: string;
  columns?: Column[];
  /** Adds the view's time range as these two parameters, as RFC 3339 times (`since`/`until`). */
  rangeParams?: [string, string];
  /** Renders the answer itself instead of a table. */
  render?: (body: unknown) => ReactNode;
}

/** Rows of `path` (an array, or `records`/`sessions`/`groups`/`data`/... of the answer) as a table. */
export function ApiTable(props: ApiTableProps) {
  const { path, params, what, columns, rangeParams, render } = props;
  const { client } = useData();
  const { location } = useNavigation();
  const range = rangeParams === undefined ? undefined : location.range;
  const state = useLiveData(`api:${path}:${JSON.stringify([params ?? {}, range, rangeParams])}`, (signal) => {
    let all = params;
    if (range !== undefined && rangeParams !== undefined) {
      const resolved = resolveRange(range, Date.now());
      // RFC 3339: what the record routes and the alerting routes both read (epoch numbers differ: ms vs seconds).
      const iso = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString();
      all = { ...params, [rangeParams[0]]: iso(resolved.start), [rangeParams[1]]: iso(resolved.at) };
    }
    return client.getJson<unknown>(path, all, { signal });
  });
  return (
    <Loaded state={state} api={path} what={what}>
      {(body) => (render !== undefined ? render(body) : <RowsTable rows={rowsOf(body)} columns={columns} />)}
    </Loaded>
  );
}

/** Objects as a table: one column per key (or the given ones), every cell as text. */
export function RowsTable({ rows, columns }: { rows: Record<string, unknown>[]; columns?: Column[] }) {
  if (rows.length === 0) return <Empty>Nothing in this range</Empty>;
  const shown: Column[] =
    columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))].slice(0, 12).map((key) => ({ key }));
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c.key} className={isNumeric(c.format) ? 'num' : undefined}>
                {c.title ?? c.key}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of an API answer have no identity of their own
            <tr key={i}>
              {shown.map((c) => (
                <td key={c.key} className={isNumeric(c.format) ? 'num' : undefined}>
                  <Cell value={c.value === undefined ? row[c.key] : c.value(row)} column={c} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function isNumeric(format: CellFormat | undefined): boolean {
  return format === 'usd' || format === 'percent' || format === 'ms' || format === 'seconds';
}

function Cell({ value, column }: { value: unknown; column: Column }) {
  if (value === null || value === undefined) return null;
  const text = cellText(value, column.format);
  if (column.onClick !== undefined && text !== '') {
    const onClick = column.onClick;
    return (
      <button type="button" className="link" onClick={() => onClick(String(value))}>
        {text}
      </button>
    );
  }
  // Stack traces and long messages: the first line, the rest on demand.
  if ((column.format === 'long' || text.length > 160) && (text.includes('\n') || text.length > 160)) {
    const first = text.split('\n')[0]!.slice(0, 160);
    return (
      <details className="long-cell">
        <summary>{first}</summary>
        <pre>{text}</pre>
      </details>
    );
  }
  return <>{text}</>;
}

function cellText(value: unknown, format: CellFormat | undefined): string {
  if (typeof value === 'number') {
    if (format === 'time') return formatDateTime(value);
    if (format === 'unix') return formatDateTime(value * 1000);
    if (format === 'seconds') return formatValue(value, 'seconds');
    if (format === 'usd') return formatValue(value, 'usd');
    if (format === 'percent') return formatValue(value, 'percent');
    if (format === 'ms') return formatValue(value / 1000, 'seconds');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function rowsOf(body: unknown): Record<string, unknown>[] {
  const isRows = (value: unknown): value is Record<string, unknown>[] =>
    Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null);
  if (isRows(body)) return body;
  if (typeof body === 'object' && body !== null) {
    for (const key of ['records', 'sessions', 'groups', 'data', 'items', 'rows', 'result', 'events']) {
      const inner = (body as Record<string, unknown>)[key];
      if (isRows(inner)) return inner;
      if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return rowsOf(inner);
    }
  }
  return [];
}
