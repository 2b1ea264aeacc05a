// A uPlot line chart with a legend rendered by React (so series names stay text), hover values and drag-to-zoom.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDateTime } from '../time/range.js';
import { type Columns, isolatedPoints, lastValue, PALETTE } from './series.js';
import { formatTicks, formatValue, type Unit } from './units.js';

/** Props of `TimeSeriesChart`. */
export interface TimeSeriesChartProps {
  columns: Columns;
  names: string[];
  unit?: Unit;
  height?: number;
  /** Called with a dragged selection (ms since epoch): the shell turns it into an absolute range. */
  onZoom?: (from: number, to: number) => void;
}

/** Draws `columns` (x then one column per name). */
export function TimeSeriesChart({ columns, names, unit = 'short', height = 200, onZoom }: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;
  const shape = `${unit}|${height}|${names.join('\u0000')}`;

  // Rebuilt only when the series or unit change; new data for the same series goes through setData.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for names, unit and height; columns are set below
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: false },
      // Room on the right for the last time label, which uPlot centres on its tick.
      padding: [8, 20, 0, 0],
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      scales: {
        x: { time: true },
        // Zero stays on the axis (rates, latencies, counts), and a flat zero line gets 0..1 rather than 0..100.
        y: {
          range: (_u, min, max) => {
            const low = Math.min(0, min ?? 0);
            const high = max === null || max <= low ? low + 1 : max;
            return uPlot.rangeNum(low, high, 0.1, true);
          },
        },
      },
      axes: [
        {
          stroke: '#8e8e8e',
          grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
          ticks: { show: false },
          size: 24,
          space: 80,
          values: (_u, splits) => {
            const span = (splits[splits.length - 1] ?? 0) - (splits[0] ?? 0);
            return splits.map((t) => formatTick(t, span));
          },
        },
        {
          stroke: '#8e8e8e',
          grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
          ticks: { show: false },
          // As wide as the longest label: "143 MiB" needs more room than "0%".
          size: (_u, values) => 14 + 7 * Math.max(3, ...(values ?? []).map((v) => String(v).length)),
          values: (_u, splits) => formatTicks(splits, unit),
        },
      ],
      series: [
        {},
        ...names.map((name, i) => ({
          label: name,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          // Lines only, except a point with no neighbour (a series that just started), which a line cannot show.
          points: {
            show: true,
            size: 5,
            filter: (u: uPlot, seriesIdx: number) => isolatedPoints(u.data[seriesIdx] as (number | null)[]),
          },
          value: (_u: uPlot, v: number | null) => formatValue(v, unit),
        })),
      ],
      hooks: {
        setCursor: [(u) => setCursor(u.cursor.idx ?? null)],
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoomRef.current?.(Math.round(from * 1000), Math.round(to * 1000));
          },
        ],
      },
    };
    const chart = new uPlot(options, columns as uPlot.AlignedData, element);
    plot.current = chart;
    // uPlot measures the plot when the pointer enters it; panels loading around it can move it
    // since. Measure again as a drag starts (capture: before uPlot's own handler reads it).
    const measure = () => chart.syncRect();
    chart.over.addEventListener('mousedown', measure, { capture: true });
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.over.removeEventListener('mousedown', measure, { capture: true });
      chart.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(columns as uPlot.AlignedData);
  }, [columns]);

  const rows = useMemo(
    () =>
      names.map((name, i) => {
        const key = `${i}:${name}`;
        const column = columns[i + 1] ?? [];
        const value = cursor === null ? lastValue(column) : (column[cursor] ?? null);
        return { key, name, color: PALETTE[i % PALETTE.length], value };
      }),
    [names, columns, cursor],
  );
  const at = cursor === null ? undefined : columns[0][cursor];

  return (
    <div className="chart">
      <div ref={box} className="chart-plot" />
      <div className="chart-legend">
        {at !== undefined && <div className="chart-legend-time">{formatDateTime(at * 1000)}</div>}
        {rows.map((row) => (
          <div className="chart-legend-row" key={row.key}>
            <span className="chart-legend-swatch" style={{ background: row.color }} />
            <span className="chart-legend-name" title={row.name}>
              {row.name}
            </span>
            <span className="chart-legend-value">{formatValue(row.value, unit)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

/** `13:05` within two days, `11-23 13:05` beyond; seconds when the ticks are less than a minute apart. */
function formatTick(seconds: number, span: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (span < 300) return `${time}:${pad(d.getSeconds())}`;
  if (span < 2 * 86400) return time;
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}
