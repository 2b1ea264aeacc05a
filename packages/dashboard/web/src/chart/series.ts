// Prometheus range results as the aligned columns uPlot draws.
import type { Labels, MatrixSeries } from '../api/prometheus.js';
import type { ResolvedRange } from '../time/range.js';

/** Columns for uPlot: x (unix seconds) then one array per series, `null` where a series has no point. */
export type Columns = [number[], ...(number | null)[][]];

/** Series of a range query on the query's own step grid. */
export function toColumns(result: readonly MatrixSeries[], range: ResolvedRange): Columns {
  const xs: number[] = [];
  for (let t = range.start; t <= range.end; t += range.step) xs.push(t);
  const index = new Map<number, number>();
  for (let i = 0; i < xs.length; i++) index.set(xs[i]!, i);
  const columns: Columns = [xs];
  for (const series of result) {
    const ys: (number | null)[] = new Array(xs.length).fill(null);
    for (const [t, text] of series.values) {
      const i = index.get(t);
      const value = Number(text);
      if (i !== undefined && Number.isFinite(value)) ys[i] = value;
    }
    columns.push(ys);
  }
  return columns;
}

/** `metric{a="b", c="d"}` — how Prometheus itself names a series. */
export function seriesName(labels: Labels): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.entries(rest).map(([key, value]) => `${key}="${value}"`);
  if (pairs.length === 0) return name === '' ? '{}' : name;
  return `${name}{${pairs.join(', ')}}`;
}

/** A legend label from a template such as `{{gen_ai_request_model}} p95`, or the series name. */
export function legendName(labels: Labels, template?: string): string {
  if (template === undefined) return seriesName(labels);
  return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, key: string) => labels[key] ?? '');
}

/** The last non-null value of a column. */
export function lastValue(column: readonly (number | null)[]): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const value = column[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** Indices of values with no value on either side: drawn as points, since no line passes through them. */
export function isolatedPoints(column: readonly (number | null | undefined)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < column.length; i++) {
    const here = column[i];
    if (here === null || here === undefined) continue;
    const before = i === 0 ? null : column[i - 1];
    const after = i === column.length - 1 ? null : column[i + 1];
    if ((before === null || before === undefined) && (after === null || after === undefined)) out.push(i);
  }
  return out;
}

/** Colors of series, in order (readable on the dark background). */
export const PALETTE = [
  '#73bf69',
  '#f2cc0c',
  '#5794f2',
  '#ff780a',
  '#f2495c',
  '#b877d9',
  '#8ab8ff',
  '#37872d',
  '#fade2a',
  '#ca95e5',
  '#6ed0e0',
  '#ef843c',
];
