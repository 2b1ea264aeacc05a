// Formatting for the Prometheus HTTP API, where sample values are strings.

/** A sample value as Prometheus's JSON writes it: `"1.5"`, `"+Inf"`, `"-Inf"`, `"NaN"`. */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}
