// Whether two `/api/v1/query_range` answers say the same thing: the same series (by their full label
// sets), the same timestamps, and values equal within a relative tolerance (summation order may
// differ between engines, so the last bits may too).

/** The default relative tolerance. */
export const RELATIVE_TOLERANCE = 1e-9;

/** What the comparison found. */
export interface Agreement {
  series: number;
  points: number;
  /** Largest relative difference seen between two values both answers hold. */
  maxRelativeDiff: number;
  /** Series and points that differ (missing on one side, or beyond the tolerance). */
  disagreements: number;
  /** Steps where topk/bottomk kept different series with equal values (ties broken differently). */
  tieBreaks: number;
  /** Human-readable disagreements, the first few; empty when the answers agree. */
  problems: string[];
}

interface Matrix {
  status: string;
  data?: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
}

/** A series' labels as one comparable string. */
function seriesKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parse(name: string, body: Buffer): Map<string, [number, string][]> {
  const answer = JSON.parse(body.toString('utf8')) as Matrix;
  if (answer.status !== 'success' || answer.data?.resultType !== 'matrix') {
    throw new Error(`${name} did not answer a matrix: ${body.toString('utf8').slice(0, 300)}`);
  }
  const series = new Map<string, [number, string][]>();
  for (const s of answer.data.result) series.set(seriesKey(s.metric), s.values);
  return series;
}

/** Relative difference of two sample values as Prometheus writes them ("NaN", "+Inf", decimals). */
function relativeDiff(a: string, b: string): number {
  if (a === b) return 0;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return 0;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y ? 0 : Number.POSITIVE_INFINITY;
  const scale = Math.max(Math.abs(x), Math.abs(y));
  return scale === 0 ? 0 : Math.abs(x - y) / scale;
}

/** Compares Vigil's answer with Prometheus's. */
export function compareAnswers(vigil: Buffer, prometheus: Buffer, tolerance = RELATIVE_TOLERANCE): Agreement {
  const ours = parse('Vigil', vigil);
  const theirs = parse('Prometheus', prometheus);
  const problems: string[] = [];
  let disagreements = 0;
  const note = (text: string) => {
    disagreements++;
    if (problems.length < 8) problems.push(text);
  };
  let points = 0;
  let maxRelativeDiff = 0;
  for (const key of theirs.keys()) if (!ours.has(key)) note(`series only Prometheus returned: ${key}`);
  for (const [key, values] of ours) {
    const other = theirs.get(key);
    if (other === undefined) {
      note(`series only Vigil returned: ${key}`);
      continue;
    }
    const times = new Map(other.map(([t, v]) => [t, v]));
    if (values.length !== other.length) note(`${key}: Vigil has ${values.length} points, Prometheus ${other.length}`);
    for (const [t, v] of values) {
      const w = times.get(t);
      if (w === undefined) {
        note(`${key} at ${t}: only Vigil has a point`);
        continue;
      }
      points++;
      const diff = relativeDiff(v, w);
      if (diff > maxRelativeDiff) maxRelativeDiff = diff;
      if (diff > tolerance) note(`${key} at ${t}: Vigil ${v}, Prometheus ${w}`);
    }
  }
  return { series: ours.size, points, maxRelativeDiff, disagreements, tieBreaks: 0, problems };
}

/** Each step's points, as [series, value] pairs. */
function byStep(series: Map<string, [number, string][]>): Map<number, [string, string][]> {
  const steps = new Map<number, [string, string][]>();
  for (const [key, values] of series) {
    for (const [t, v] of values) {
      const step = steps.get(t);
      if (step === undefined) steps.set(t, [[key, v]]);
      else step.push([key, v]);
    }
  }
  return steps;
}

/**
 * Compares answers of a `topk`/`bottomk` query, where PromQL leaves unspecified which of several
 * series with equal values is kept (and the last bit of a sum decides between near-equal ones):
 * at every step both must hold the same values, within the tolerance; a step where they kept
 * different series with those values counts as a tie broken differently, not a disagreement.
 */
export function compareRankedAnswers(vigil: Buffer, prometheus: Buffer, tolerance = RELATIVE_TOLERANCE): Agreement {
  const ours = parse('Vigil', vigil);
  const theirs = byStep(parse('Prometheus', prometheus));
  const problems: string[] = [];
  let disagreements = 0;
  let tieBreaks = 0;
  let points = 0;
  let maxRelativeDiff = 0;
  const descending = (a: [string, string], b: [string, string]) => Number(b[1]) - Number(a[1]);
  const steps = byStep(ours);
  for (const t of theirs.keys()) {
    if (!steps.has(t)) {
      disagreements++;
      if (problems.length < 8) problems.push(`at ${t}: only Prometheus has points`);
    }
  }
  for (const [t, mine] of steps) {
    const other = theirs.get(t) ?? [];
    mine.sort(descending);
    other.sort(descending);
    let differs = mine.length !== other.length;
    for (let i = 0; i < Math.min(mine.length, other.length); i++) {
      const diff = relativeDiff(mine[i]![1], other[i]![1]);
      if (diff > maxRelativeDiff) maxRelativeDiff = diff;
      if (diff > tolerance) differs = true;
    }
    points += mine.length;
    if (differs) {
      disagreements++;
      if (problems.length < 8)
        problems.push(`at ${t}: Vigil ${JSON.stringify(mine)}, Prometheus ${JSON.stringify(other)}`);
    } else if (
      mine
        .map(([key]) => key)
        .sort()
        .join() !==
      other
        .map(([key]) => key)
        .sort()
        .join()
    ) {
      tieBreaks++;
    }
  }
  return { series: ours.size, points, maxRelativeDiff, disagreements, tieBreaks, problems };
}
