import type { ExpositionFormat, FamilyMetadata, MetricType } from './types.js';

/** The `# TYPE` words each format accepts. */
export const FORMAT_TYPES: Record<ExpositionFormat, ReadonlySet<string>> = {
  prometheus: new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']),
  openmetrics: new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']),
};

/** The type of a family without a `# TYPE` line. */
export const DEFAULT_TYPE: Record<ExpositionFormat, MetricType> = { prometheus: 'untyped', openmetrics: 'unknown' };

// The sample names a family of each type owns, as suffixes of the family name.
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [],
  untyped: [],
  unknown: [],
};

const CREATED = '_created';

/** How a sample name relates to a family: not part of it, part of it, or its `_created` series. */
export const NOT_MEMBER = 0;
/** The sample is the family's own name or one of its type's suffixes. */
export const MEMBER = 1;
/** The sample is the family's `_created` series. */
export const CREATED_MEMBER = 2;

/** The sample-name suffixes a family of `type` owns. */
export function suffixesOf(type: MetricType): readonly string[] {
  return SUFFIXES[type];
}

/**
 * `membership()` for a sample name and a family name that are both still in the text
 * (`text[start, end)` and `text[baseStart, baseStart + baseLength)`), so the hot path needs
 * no string; `suffixes` are the family type's, looked up once per family.
 */
export function membershipAt(
  text: string,
  baseStart: number,
  baseLength: number,
  suffixes: readonly string[],
  start: number,
  end: number,
): number {
  if (end - start < baseLength) return NOT_MEMBER;
  for (let i = 0; i < baseLength; i++) {
    if (text.charCodeAt(start + i) !== text.charCodeAt(baseStart + i)) return NOT_MEMBER;
  }
  const extra = end - start - baseLength;
  if (extra === 0) return MEMBER;
  const from = start + baseLength;
  for (let i = 0; i < suffixes.length; i++) {
    const suffix = suffixes[i]!;
    if (suffix.length !== extra) continue;
    let k = 0;
    while (k < extra && text.charCodeAt(from + k) === suffix.charCodeAt(k)) k++;
    if (k === extra) return suffix === CREATED ? CREATED_MEMBER : MEMBER;
  }
  return NOT_MEMBER;
}

/** Whether the sample `name` belongs to `family` (its own name or a suffix its type owns). */
export function membership(family: FamilyMetadata, name: string): number {
  const base = family.name;
  if (!name.startsWith(base)) return NOT_MEMBER;
  const extra = name.length - base.length;
  if (extra === 0) return MEMBER;
  for (const suffix of SUFFIXES[family.type]) {
    if (suffix.length === extra && name.endsWith(suffix)) {
      return suffix === CREATED ? CREATED_MEMBER : MEMBER;
    }
  }
  return NOT_MEMBER;
}
