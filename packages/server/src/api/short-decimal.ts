// Writing a sample value with few decimals (a gauge's 3, an average's 3.85, a latency's 0.125) straight into bytes.

/** Most fraction digits written here; values with more are left to formatSampleValue. */
const MAX_FRACTION_DIGITS = 6;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
// Scaled values stay below this: far from 2^53, two decimals of k digits can never both round to the same double.
const LIMIT = 2 ** 50;
const ZERO = 0x30;
const DOT = 0x2e;
const MINUS = 0x2d;

/**
 * Writes `v` at `buf[pos]` as formatSampleValue (String) writes it when `v` is m / 10^k for an integer m below 2^50
 * and k ≤ 6 fraction digits, and returns the position after it; returns -1, writing nothing, for any other value.
 * Exact: with k the fewest digits for which m / 10^k (one correctly rounded division, as parsing the text would
 * round) is `v`, the text is the shortest that reads back as `v`, which is what String writes (no other text of
 * k digits is that close at these magnitudes). Formatting a double costs ~100 ns; this costs a few for the values
 * dashboards often show, and one multiplication to turn down the rest.
 */
export function writeShortDecimal(buf: Uint8Array, pos: number, v: number): number {
  const a = Math.abs(v);
  // A value of at most 6 decimals times 10^6 is an integer up to rounding errors of a few units in the last place.
  const scaled = a * 1_000_000;
  if (!(Math.abs(scaled - Math.round(scaled)) <= scaled * 1e-14)) return -1;
  for (let k = 0; k <= MAX_FRACTION_DIGITS; k++) {
    const p = POW10[k]!;
    const m = Math.round(a * p);
    if (m >= LIMIT) return -1;
    if (m / p === a) return writeScaled(buf, pos, v < 0, m, k);
  }
  return -1;
}

// m × 10^-k as decimal digits, `0.` before a fraction with no integer part.
function writeScaled(buf: Uint8Array, pos: number, negative: boolean, m: number, k: number): number {
  let digits = 1;
  for (let x = m; x >= 10; x = Math.floor(x / 10)) digits++;
  const integerDigits = Math.max(1, digits - k);
  let at = pos;
  if (negative) buf[at++] = MINUS;
  const end = at + integerDigits + (k > 0 ? k + 1 : 0);
  let i = end;
  let x = m;
  for (let d = 0; d < k; d++) {
    const q = Math.floor(x / 10);
    buf[--i] = ZERO + (x - q * 10);
    x = q;
  }
  if (k > 0) buf[--i] = DOT;
  do {
    const q = Math.floor(x / 10);
    buf[--i] = ZERO + (x - q * 10);
    x = q;
  } while (i > at);
  return end;
}
