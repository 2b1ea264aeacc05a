import { TsdbError } from '../errors.js';

/** A metric type as the query API reports it (Prometheus text's `untyped` is `unknown`). */
export type MetadataType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

/** Metric metadata as the exposition declared it; absent help or unit is ''. */
export interface MetricMetadata {
  type: MetadataType;
  help: string;
  unit: string;
}

/** What `setMetadata` accepts: the parser's FamilyMetadata fits (`untyped` and undefined fields included). */
export interface MetadataInput {
  type?: string | undefined;
  help?: string | undefined;
  unit?: string | undefined;
}

const TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
]);

/** Checks and normalizes metadata; throws TsdbError VIGIL_TSDB_BAD_METADATA naming the bad field. */
export function normalizeMetadata(metric: string, input: MetadataInput): MetricMetadata {
  if (typeof metric !== 'string' || metric === '') {
    throw new TsdbError('VIGIL_TSDB_BAD_METADATA', `metadata needs a metric name; got ${JSON.stringify(metric)}`);
  }
  if (input === null || typeof input !== 'object') {
    throw new TsdbError('VIGIL_TSDB_BAD_METADATA', `metadata of "${metric}" must be an object`);
  }
  const raw = input.type === undefined || input.type === 'untyped' ? 'unknown' : input.type;
  if (!TYPES.has(raw)) {
    throw new TsdbError(
      'VIGIL_TSDB_BAD_METADATA',
      `metadata type of "${metric}" must be one of ${[...TYPES].join(', ')}; got ${JSON.stringify(input.type)}`,
    );
  }
  return { type: raw as MetadataType, help: text(metric, 'help', input.help), unit: text(metric, 'unit', input.unit) };
}

function text(metric: string, field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw new TsdbError('VIGIL_TSDB_BAD_METADATA', `metadata ${field} of "${metric}" must be a string`);
  }
  return value;
}
