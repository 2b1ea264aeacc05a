// Formatting for the Prometheus HTTP API, where sample values are strings.

/**
 * A sample value as Prometheus's JSON writes it: `"1.5"`, `"+Inf"`, `"-Inf"`, `"NaN"`, and decimal notation without
 * an exponent (Go's FormatFloat 'f' with the shortest exact digits): 1e21 is `"1000000000000000000000"`.
 */
export function formatSampleValue(v: number): string {
  // JavaScript writes an exponent only for magnitudes from 1e21 on and below 1e-6 (1e21 is an exact double; below
  // the double 1e-6, which String writes as 0.000001, every double's shortest digits are below 10^-6 too): the
  // common case, everything in between, is String(v) as it is.
  const magnitude = Math.abs(v);
  if (magnitude < 1e21 && magnitude >= 1e-6) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const text = String(v);
  const e = text.indexOf('e');
  if (e < 0) return text;
  // Shortest digits and exponent from JavaScript's own formatting, written out positionally.
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}
