// histogram_quantile over classic histograms: `le` buckets of one series group, as Prometheus interpolates them.

/** Bucket upper bounds and cumulative counts, reused between calls. */
export interface Buckets {
  upper: number[];
  count: number[];
}

/** The q-quantile of classic buckets (modified in place: sorted, coalesced, made monotonic). */
export function bucketQuantile(q: number, b: Buckets): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const idx = b.upper.map((_, i) => i).sort((x, y) => b.upper[x]! - b.upper[y]!);
  let upper = idx.map((i) => b.upper[i]!);
  let count = idx.map((i) => b.count[i]!);
  if (upper[upper.length - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  // Coalesce buckets with the same upper bound.
  const u2: number[] = [];
  const c2: number[] = [];
  for (let i = 0; i < upper.length; i++) {
    if (u2.length > 0 && u2[u2.length - 1] === upper[i]) c2[c2.length - 1]! += count[i]!;
    else {
      u2.push(upper[i]!);
      c2.push(count[i]!);
    }
  }
  upper = u2;
  count = c2;
  // Precision errors first, then force monotonicity.
  let prev = count[0]!;
  for (let i = 1; i < count.length; i++) {
    const cur = count[i]!;
    const delta = Math.abs(cur - prev);
    if (delta === 0) continue;
    if (delta / cur <= 1e-12) count[i] = prev;
    else prev = cur;
  }
  let max = count[0]!;
  for (let i = 1; i < count.length; i++) {
    if (count[i]! > max) max = count[i]!;
    else if (count[i]! < max) count[i] = max;
  }
  if (upper.length < 2) return Number.NaN;
  const observations = count[count.length - 1]!;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let i = 0;
  while (i < count.length - 1 && !(count[i]! >= rank)) i++;
  if (i === upper.length - 1) return upper[upper.length - 2]!;
  if (i === 0 && upper[0]! <= 0) return upper[0]!;
  let start = 0;
  const end = upper[i]!;
  let c = count[i]!;
  if (i > 0) {
    start = upper[i - 1]!;
    c -= count[i - 1]!;
    rank -= count[i - 1]!;
  }
  return start + (end - start) * (rank / c);
}
