// Writing OpenMetrics text: families, escapes, values and second timestamps that read back exactly.
import type { Label } from '../exposition/types.js';
import type { MetadataType, MetricMetadata } from './metadata.js';

// The sample names a family of each type owns besides its own name, as OpenMetrics defines them.
const SUFFIXES: Record<MetadataType, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [],
  unknown: [],
};
// Types whose samples may carry the family's own name.
const BARE: ReadonlySet<MetadataType> = new Set(['gauge', 'summary', 'stateset', 'unknown']);
const ALL_SUFFIXES = [...new Set(Object.values(SUFFIXES).flat())];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The OpenMetrics family a metric's samples belong to, and the metadata to write for it. */
export interface FamilyChoice {
  family: string;
  type: MetadataType;
  metadata: MetricMetadata | undefined;
}

/**
 * Finds the family of metric `name`: metadata stored under the name itself (as a Prometheus-text scrape keeps
 * `http_requests_total` for a counter) or under the name without a suffix its type owns (`foo` for `foo_bucket`).
 * Metadata whose type OpenMetrics cannot express with this sample name is written as `unknown`, help kept.
 */
export function familyOf(name: string, lookup: (metric: string) => MetricMetadata | undefined): FamilyChoice {
  const own = lookup(name);
  if (own !== undefined) {
    if (BARE.has(own.type)) return { family: name, type: own.type, metadata: own };
    for (const suffix of SUFFIXES[own.type]) {
      if (name.endsWith(suffix) && name.length > suffix.length) {
        return { family: name.slice(0, -suffix.length), type: own.type, metadata: own };
      }
    }
  }
  for (const suffix of ALL_SUFFIXES) {
    if (!name.endsWith(suffix) || name.length <= suffix.length) continue;
    const base = name.slice(0, -suffix.length);
    const m = lookup(base);
    if (m !== undefined && SUFFIXES[m.type].includes(suffix)) return { family: base, type: m.type, metadata: m };
  }
  return { family: name, type: 'unknown', metadata: own };
}

/** `# TYPE`, `# HELP` and `# UNIT` lines of a family (UNIT only when the name ends with it, as OpenMetrics requires). */
export function familyHeader(choice: FamilyChoice): string {
  const m = choice.metadata;
  if (m === undefined) return '';
  const name = metricName(choice.family);
  let out = `# TYPE ${name} ${choice.type}\n`;
  if (m.help !== '') out += `# HELP ${name} ${m.help.replace(/[\\\n"]/g, escapeChar)}\n`;
  if (m.unit !== '' && choice.family.endsWith(`_${m.unit}`)) out += `# UNIT ${name} ${m.unit}\n`;
  return out;
}

/** `name{a="1",b="2"}` for a sample line; names outside the legacy charset are quoted. */
export function seriesText(name: string, labels: readonly Label[]): string {
  const pairs: string[] = [];
  for (const l of labels) {
    if (l.name === '__name__') continue;
    pairs.push(`${LABEL_NAME.test(l.name) ? l.name : quote(l.name)}=${quote(l.value)}`);
  }
  if (METRIC_NAME.test(name)) return pairs.length === 0 ? name : `${name}{${pairs.join(',')}}`;
  return `{${[quote(name), ...pairs].join(',')}}`;
}

/** A float as OpenMetrics writes it. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

// Extra digits that move a decimal away from zero by less than a microsecond.
const NUDGES = ['0001', '0002', '0004', '001', '002', '005'];

/**
 * A millisecond timestamp as OpenMetrics seconds that Prometheus's parser (and ours) read back as the same
 * millisecond: they compute trunc(seconds × 1000), which for most decimals lands 1 ulp below the integer.
 */
export function formatSeconds(ms: number): string {
  const plain = String(ms / 1000);
  if (Math.trunc(Number(plain) * 1000) === ms || plain.includes('e')) return plain;
  const base = plain.includes('.') ? plain : `${plain}.`;
  for (const nudge of NUDGES) {
    const text = base + nudge;
    if (Math.trunc(Number(text) * 1000) === ms) return text;
  }
  return plain;
}

function metricName(name: string): string {
  return METRIC_NAME.test(name) ? name : quote(name);
}

function quote(text: string): string {
  return `"${text.replace(/[\\\n"]/g, escapeChar)}"`;
}

function escapeChar(c: string): string {
  return c === '\n' ? '\\n' : `\\${c}`;
}
