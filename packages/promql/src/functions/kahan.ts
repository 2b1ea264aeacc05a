// Kahan–Neumaier summation as Prometheus uses it, without allocating: results are read from `kahan`.

/** Output of kahanInc: the new sum and compensation. */
export const kahan = { sum: 0, c: 0 };

/** Adds `inc` to (sum, c); read the result from `kahan.sum` and `kahan.c`. */
export function kahanInc(inc: number, sum: number, c: number): void {
  const t = sum + inc;
  if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  kahan.sum = t;
  kahan.c = c;
}

/** Quantile q of values[0..len) (sorted in place), as Prometheus interpolates it. */
export function quantileOf(q: number, values: Float64Array | number[], len: number): number {
  if (len === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = Array.isArray(values) ? values.slice(0, len).sort(byValue) : values.subarray(0, len).sort(byValue);
  const rank = q * (len - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(len - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

function byValue(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}
