// Durations and sizes as prometheus.yml writes them.

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
// Go's time.Duration is int64 nanoseconds; Prometheus refuses anything longer.
const MAX_DURATION_MS = Number((2n ** 63n - 1n) / 1_000_000n);

/**
 * Milliseconds of a Prometheus duration (`1h30m`, `15s`, `500ms`, `1d`, `1w`, `1y`; units in that order, each at
 * most once; `0` alone), or undefined when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const m = DURATION.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < DURATION_UNITS_MS.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * DURATION_UNITS_MS[i]!;
  }
  return ms > MAX_DURATION_MS ? undefined : ms;
}

const FORMAT_UNITS: [string, number, boolean][] = [
  ['y', DURATION_UNITS_MS[0]!, true],
  ['w', DURATION_UNITS_MS[1]!, true],
  ['d', 86_400_000, false],
  ['h', 3_600_000, false],
  ['m', 60_000, false],
  ['s', 1000, false],
  ['ms', 1, false],
];

/** A duration as Prometheus prints it (`1m30s`, `0s`); years and weeks only when they divide it exactly. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size, exact] of FORMAT_UNITS) {
    if (exact && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const SIZE_UNITS: Record<string, number> = { B: 1 };
for (const [i, prefix] of ['K', 'M', 'G', 'T', 'P', 'E'].entries()) {
  SIZE_UNITS[`${prefix}B`] = 1024 ** (i + 1);
  SIZE_UNITS[`${prefix}iB`] = 1024 ** (i + 1);
}
const SIZE_PART = /^(\d+(?:\.\d*)?|\.\d+)([A-Za-z]+)/;

/**
 * Bytes of a size as Prometheus reads `--storage.tsdb.retention.size` and `body_size_limit`: a number and a unit
 * of B, KB, MB, GB, TB, PB, EB (powers of 1024; KiB.. EiB mean the same), parts may repeat (`1GB512MB`), `0`
 * alone; undefined when the text is not one.
 */
export function parseSize(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let rest = text;
  let bytes = 0;
  while (rest !== '') {
    const m = SIZE_PART.exec(rest);
    const unit = m ? SIZE_UNITS[m[2]!] : undefined;
    if (!m || unit === undefined) return undefined;
    bytes += Number(m[1]) * unit;
    rest = rest.slice(m[0].length);
  }
  return bytes >= 2 ** 63 ? undefined : Math.floor(bytes);
}

/** `text` with any `user:password@` of a URL replaced, for messages (no credential reaches a log line). */
export function redactUserinfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@\s]*@/i, (_all, scheme?: string) => `${scheme ?? ''}<redacted>@`);
}
