// Functions of one instant-vector value: math, trigonometry and dates (UTC).

/** Go's math.Pow where it differs from JS `**` (1^NaN, (-1)^±Inf). */
export function goPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) return 1;
  return a ** b;
}

/** Functions mapping a value to a value. */
export const VALUE_FUNCTIONS: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
};

function utc(seconds: number): Date | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  return new Date(Math.trunc(seconds) * 1000);
}

/** Date functions of a Unix time in seconds (UTC). */
export const DATE_FUNCTIONS: Record<string, (seconds: number) => number> = {
  year: (s) => utc(s)?.getUTCFullYear() ?? Number.NaN,
  month: (s) => (utc(s)?.getUTCMonth() ?? Number.NaN) + 1,
  day_of_month: (s) => utc(s)?.getUTCDate() ?? Number.NaN,
  day_of_week: (s) => utc(s)?.getUTCDay() ?? Number.NaN,
  day_of_year: (s) => {
    const d = utc(s);
    if (!d) return Number.NaN;
    return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  },
  days_in_month: (s) => {
    const d = utc(s);
    if (!d) return Number.NaN;
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  },
  hour: (s) => utc(s)?.getUTCHours() ?? Number.NaN,
  minute: (s) => utc(s)?.getUTCMinutes() ?? Number.NaN,
};
