// OpenTelemetry → Prometheus names, as the OpenTelemetry specification's "Prometheus and
// OpenMetrics compatibility" section and Prometheus's own OTLP receiver spell them: every run of
// characters outside [a-zA-Z0-9] becomes one `_`, the unit becomes a suffix (`_seconds`,
// `_bytes`, `_per_second`; `{annotations}` are dropped; unit `1` on a gauge is `_ratio`), and a
// monotonic cumulative sum ends in `_total`.

const UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const PER: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** What kind of Prometheus metric an OTLP metric becomes; it decides the suffixes. */
export type PromKind = 'counter' | 'gauge' | 'histogram' | 'summary';

/** The Prometheus metric name of an OTLP metric. */
export function metricName(name: string, unit: string, kind: PromKind): string {
  const words = name.split(/[^a-zA-Z0-9]+/).filter((w) => w !== '');
  const suffix = unitSuffix(unit, kind);
  for (const part of suffix) if (!words.includes(part)) words.push(part);
  if (kind === 'counter') {
    if (words[words.length - 1] === 'total') words.pop();
    words.push('total');
  }
  let out = words.join('_');
  if (out === '') out = '_';
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

function unitSuffix(unit: string, kind: PromKind): string[] {
  const plain = unit.replace(/\{[^}]*\}/g, '').trim();
  if (plain === '') return [];
  if (plain === '1') return kind === 'gauge' ? ['ratio'] : [];
  const [main = '', per] = plain.split('/', 2);
  const out: string[] = [];
  if (main !== '') out.push(...(UNITS[main] ?? main).split(/[^a-zA-Z0-9]+/).filter((w) => w !== ''));
  if (per !== undefined && per !== '')
    out.push('per', ...(PER[per] ?? UNITS[per] ?? per).split(/[^a-zA-Z0-9]+/).filter((w) => w !== ''));
  return out;
}

/** A label name Prometheus accepts: invalid characters as `_`, a leading digit prefixed with `key_`. */
export function labelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (out === '') return 'key_';
  if (/^[0-9]/.test(out)) out = `key_${out}`;
  else if (out.startsWith('__') && !key.startsWith('__')) out = `key${out}`;
  return out;
}
