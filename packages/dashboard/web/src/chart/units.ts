// Numbers as people read them on a dashboard.

/** How a panel's values are formatted. */
export type Unit = 'short' | 'count' | 'seconds' | 'percent' | 'usd' | 'bytes' | 'perHour';

const SI = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
] as const;

/**
 * `1.2k`, `350 ms`, `12.5%`, `$3.20`, `1.5 MiB`, `40/h`; `–` for nothing. `extra` adds decimals (axis ticks
 * close together need them to differ).
 */
export function formatValue(value: number | null | undefined, unit: Unit = 'short', extra = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'seconds':
      return formatSeconds(value, extra);
    case 'percent':
      return `${trim(value * 100, extra)}%`;
    case 'usd':
      if (Math.abs(value) >= 1000) return `$${short(value, extra)}`;
      return Math.abs(value) >= 100 && extra === 0 ? `$${Math.round(value)}` : `$${value.toFixed(2 + extra)}`;
    case 'bytes':
      return formatBytes(value, extra);
    case 'count':
      // increase() extrapolates to the range's edges: a count of calls is still a whole number.
      return short(Math.round(value), extra);
    case 'perHour':
      return `${short(value, extra)}/h`;
    default:
      return short(value, extra);
  }
}

function short(value: number, extra: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of SI) if (abs >= size) return `${trim(value / size, extra)}${suffix}`;
  return trim(value, extra);
}

function trim(value: number, extra: number): string {
  const abs = Math.abs(value);
  const digits = (abs === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3) + extra;
  return String(Number(value.toFixed(Math.min(digits, 20))));
}

/** Labels for axis ticks: as few decimals as keep neighbouring ticks apart. */
export function formatTicks(values: readonly number[], unit: Unit): string[] {
  let labels: string[] = [];
  for (let extra = 0; extra <= 4; extra++) {
    labels = values.map((v) => formatValue(v, unit, extra));
    if (new Set(labels).size === labels.length) break;
  }
  return labels;
}

function formatSeconds(value: number, extra: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0 s';
  if (abs < 1e-3) return `${trim(value * 1e6, extra)} µs`;
  if (abs < 1) return `${trim(value * 1e3, extra)} ms`;
  if (abs < 120) return `${trim(value, extra)} s`;
  if (abs < 7200) return `${trim(value / 60, extra)} min`;
  return `${trim(value / 3600, extra)} h`;
}

function formatBytes(value: number, extra: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let index = 0;
  while (Math.abs(scaled) >= 1024 && index < units.length - 1) {
    scaled /= 1024;
    index++;
  }
  return `${trim(scaled, extra)} ${units[index]}`;
}
