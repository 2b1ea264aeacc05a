import type { QueryAnswer } from './query-command.js';

type Point = [number, string];
interface Series {
  metric: Record<string, string>;
  value?: Point;
  values?: Point[];
}

/** A query answer as text: a table for vectors, one block per series for matrices. */
export function queryTable(answer: QueryAnswer): string {
  switch (answer.resultType) {
    case 'scalar':
    case 'string': {
      const [t, v] = answer.result as Point;
      return `${v} @ ${iso(t)}\n`;
    }
    case 'vector': {
      const series = answer.result as Series[];
      if (series.length === 0) return '(empty result)\n';
      const rows = series.map((s) => [seriesText(s.metric), s.value![1], iso(s.value![0])]);
      return table(['SERIES', 'VALUE', 'TIME'], rows);
    }
    case 'matrix': {
      const series = answer.result as Series[];
      if (series.length === 0) return '(empty result)\n';
      return series
        .map((s) => `${seriesText(s.metric)}\n${(s.values ?? []).map(([t, v]) => `  ${iso(t)}  ${v}`).join('\n')}\n`)
        .join('\n');
    }
  }
}

/** `name{a="1", b="2"}` as Prometheus prints a series. */
export function seriesText(metric: Record<string, string>): string {
  const { __name__: name = '', ...rest } = metric;
  const labels = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return labels.length === 0 && name !== '' ? name : `${name}{${labels.join(', ')}}`;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
