// Numbers as people read them on a dashboard.

/** How a panel's values are formatted. */
export type Unit = 'short' | 'seconds' | 'percent' | 'usd' | 'bytes' | 'perHour';

const SI = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
] as const;

/** `1.2k`, `350 ms`, `12.5%`, `$3.20`, `1.5 MiB`, `40/h`; `–` for nothing. */
export function formatValue(value: number | null | undefined, unit: Unit = 'short'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'seconds':
      return formatSeconds(value);
    case 'percent':
      return `${trim(value * 100)}%`;
    case 'usd':
      if (Math.abs(value) >= 1000) return `$${short(value)}`;
      return Math.abs(value) >= 100 ? `$${Math.round(value)}` : `$${value.toFixed(2)}`;
    case 'bytes':
      return formatBytes(value);
    case 'perHour':
      return `${short(value)}/h`;
    default:
      return short(value);
  }
}

function short(value: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of SI) if (abs >= size) return `${trim(value / size)}${suffix}`;
  return trim(value);
}

function trim(value: number): string {
  const abs = Math.abs(value);
  const digits = abs === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return String(Number(value.toFixed(digits)));
}

function formatSeconds(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0 s';
  if (abs < 1e-3) return `${trim(value * 1e6)} µs`;
  if (abs < 1) return `${trim(value * 1e3)} ms`;
  if (abs < 120) return `${trim(value)} s`;
  if (abs < 7200) return `${trim(value / 60)} min`;
  return `${trim(value / 3600)} h`;
}

function formatBytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let index = 0;
  while (Math.abs(scaled) >= 1024 && index < units.length - 1) {
    scaled /= 1024;
    index++;
  }
  return `${trim(scaled)} ${units[index]}`;
}
