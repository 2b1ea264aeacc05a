import type { JsonValue } from '@vigil/store';
import type { Label } from '@vigil/tsdb';
import { STALE_NAN } from '@vigil/tsdb';
import type { SampleSink } from '../../scrape/target.js';
import { Refusals } from './convert.js';
import { labelName, metricName, type PromKind } from './prometheus-names.js';
import {
  attributes,
  BadPayload,
  BadRecord,
  bool,
  child,
  count,
  double,
  enumValue,
  field,
  list,
  nanosToMillis,
  resourceOf,
  text,
  truncate,
  type ValueLimits,
} from './values.js';

/** Where OTLP metrics go: the service's TSDB (the same port the scrape loop appends to). */
export type OtlpSampleSink = SampleSink;

/** What writing one metrics request did. */
export interface MetricsWritten {
  /** Samples appended (a duplicate of a stored sample counts: a retried request changes nothing). */
  samples: number;
  /** Data points refused, with the first few reasons. */
  rejected: number;
  errors: string[];
}

const DELTA = 1;
const NO_RECORDED_VALUE = 1;
type Obj = Record<string, unknown>;

/** How many data points an ExportMetricsServiceRequest holds (checked against the per-request limit first). */
export function countDataPoints(request: Obj): number {
  let n = 0;
  for (const rm of list(request, 'resourceMetrics', 'request')) {
    for (const sm of list(rm, 'scopeMetrics', 'resourceMetrics')) {
      for (const metric of list(sm, 'metrics', 'scopeMetrics')) {
        for (const kind of ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']) {
          const data = child(metric, kind, 'metric');
          if (data !== undefined) n += list(data, 'dataPoints', kind).length;
        }
      }
    }
  }
  return n;
}

/**
 * Writes the data points of an ExportMetricsServiceRequest to `sink` as Prometheus samples:
 * gauges and non-monotonic sums as gauges, monotonic cumulative sums as `_total` counters,
 * explicit-bucket histograms as classic `_bucket{le}`, `_sum` and `_count`, summaries as
 * `{quantile}`, `_sum` and `_count`. `job` and `instance` come from service.namespace/service.name
 * and service.instance.id. Delta temporality and exponential histograms are refused (counted).
 */
export function writeMetrics(request: Obj, sink: OtlpSampleSink, limits: ValueLimits): MetricsWritten {
  const refusals = new Refusals();
  let samples = 0;
  list(request, 'resourceMetrics', 'request').forEach((rm, r) => {
    const at = `resourceMetrics[${r}]`;
    const { target, info } = targetLabels(rm, at, limits);
    const latest = { t: 0 };
    list(rm, 'scopeMetrics', at).forEach((sm, s) => {
      list(sm, 'metrics', `${at}.scopeMetrics[${s}]`).forEach((metric, m) => {
        const path = `${at}.scopeMetrics[${s}].metrics[${m}]`;
        samples += writeMetric(metric, path, target, sink, limits, refusals, latest);
      });
    });
    // The other resource attributes, as Prometheus's OTLP receiver keeps them: one target_info series.
    if (info.length > 0 && latest.t > 0) {
      sink.setMetadata('target_info', { type: 'gauge', help: 'Target metadata', unit: '' });
      const labels = [{ name: '__name__', value: 'target_info' }, ...info].sort(byName);
      const result = sink.append(sink.ref(labels), latest.t, 1);
      if (result === 'ok') samples++;
    }
  });
  return { samples, rejected: refusals.rejected, errors: refusals.errors };
}

/** `job` and `instance` from the resource, and its other attributes as labels (for `target_info`). */
function targetLabels(rm: Obj, at: string, limits: ValueLimits): { target: Label[]; info: Label[] } {
  const { service, attributes: attrs } = resourceOf(rm, at, limits);
  const target: Label[] = [];
  const namespace = attrs['service.namespace'];
  if (service !== null) {
    target.push({
      name: 'job',
      value: typeof namespace === 'string' && namespace !== '' ? `${namespace}/${service}` : service,
    });
  }
  const instance = attrs['service.instance.id'];
  if (typeof instance === 'string' && instance !== '') target.push({ name: 'instance', value: instance });
  const rest = Object.fromEntries(
    Object.entries(attrs).filter(([key]) => key !== 'service.namespace' && key !== 'service.instance.id'),
  );
  return { target, info: Object.keys(rest).length === 0 ? [] : labelsOf(rest, target, limits) };
}

function writeMetric(
  metric: Obj,
  path: string,
  target: Label[],
  sink: OtlpSampleSink,
  limits: ValueLimits,
  refusals: Refusals,
  latest: { t: number },
): number {
  const name = text(metric, 'name', path);
  const unit = text(metric, 'unit', path);
  const help = text(metric, 'description', path).slice(0, 1024);
  const gauge = child(metric, 'gauge', path);
  const sum = child(metric, 'sum', path);
  const histogram = child(metric, 'histogram', path);
  const exponential = child(metric, 'exponentialHistogram', path);
  const summary = child(metric, 'summary', path);
  const data = gauge ?? sum ?? histogram ?? exponential ?? summary;
  const points = data === undefined ? [] : list(data, 'dataPoints', path);
  if (name === '') {
    if (points.length > 0) refusals.add(`${path}.name is empty`, points.length);
    return 0;
  }
  if (exponential !== undefined) {
    refusals.add(
      `${path} (${name}): exponential histograms are not stored; use explicit bucket histograms`,
      points.length,
    );
    return 0;
  }
  if ((sum !== undefined || histogram !== undefined) && enumValue(data!, 'aggregationTemporality', path) === DELTA) {
    refusals.add(
      `${path} (${name}): delta temporality is not stored; configure the exporter for cumulative`,
      points.length,
    );
    return 0;
  }
  let kind: PromKind = 'gauge';
  if (sum !== undefined && bool(sum, 'isMonotonic', path)) kind = 'counter';
  else if (histogram !== undefined) kind = 'histogram';
  else if (summary !== undefined) kind = 'summary';
  const prom = metricName(name, unit, kind);
  sink.setMetadata(prom, { type: kind, help, unit: '' });

  let written = 0;
  points.forEach((point, p) => {
    const at = `${path}.dataPoints[${p}]`;
    try {
      const base = pointLabels(point, at, target, limits);
      const t = Math.floor(nanosToMillis(point, 'timeUnixNano', at));
      if (t === 0) throw new BadRecord(`${at}.timeUnixNano is missing`);
      if (t > latest.t) latest.t = t;
      const stale = ((enumValue(point, 'flags', at) as number) & NO_RECORDED_VALUE) !== 0;
      const put = (metricNameOf: string, extra: Label | null, v: number) => {
        const labels = [{ name: '__name__', value: metricNameOf }, ...base];
        if (extra !== null) labels.push(extra);
        labels.sort(byName);
        const result = sink.append(sink.ref(labels), t, stale ? STALE_NAN : v);
        if (result !== 'ok' && result !== 'duplicate')
          throw new BadRecord(`${at} (${metricNameOf}): sample refused: ${result}`);
        written++;
      };
      if (kind === 'gauge' || kind === 'counter') put(prom, null, numberValue(point, at));
      else if (kind === 'histogram') writeHistogram(point, at, prom, put);
      else writeSummary(point, at, prom, put);
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      refusals.add(err.message);
    }
  });
  return written;
}

function numberValue(point: Obj, at: string): number {
  if (field(point, 'asDouble') !== undefined) return double(point, 'asDouble', at) as number;
  if (field(point, 'asInt') !== undefined) return count(point.asInt, `${at}.asInt`);
  throw new BadRecord(`${at} has neither asDouble nor asInt`);
}

type Put = (name: string, extra: Label | null, v: number) => void;

function writeHistogram(point: Obj, at: string, name: string, put: Put): void {
  const bounds = numbers(point, 'explicitBounds', at);
  const raw = field(point, 'bucketCounts');
  const buckets =
    raw === undefined ? [] : (Array.isArray(raw) ? raw : []).map((c, i) => count(c, `${at}.bucketCounts[${i}]`));
  if (buckets.length !== 0 && buckets.length !== bounds.length + 1) {
    throw new BadRecord(`${at}: ${buckets.length} bucketCounts for ${bounds.length} explicitBounds (must be one more)`);
  }
  const total = count(field(point, 'count'), `${at}.count`);
  let cumulative = 0;
  for (let i = 0; i < bounds.length && buckets.length > 0; i++) {
    cumulative += buckets[i]!;
    put(`${name}_bucket`, { name: 'le', value: formatBound(bounds[i]!) }, cumulative);
  }
  put(`${name}_bucket`, { name: 'le', value: '+Inf' }, total);
  const sum = double(point, 'sum', at);
  if (sum !== undefined) put(`${name}_sum`, null, sum);
  put(`${name}_count`, null, total);
}

function writeSummary(point: Obj, at: string, name: string, put: Put): void {
  list(point, 'quantileValues', at).forEach((q, i) => {
    const quantile = double(q, 'quantile', `${at}.quantileValues[${i}]`) ?? 0;
    put(
      name,
      { name: 'quantile', value: formatBound(quantile) },
      double(q, 'value', `${at}.quantileValues[${i}]`) ?? 0,
    );
  });
  put(`${name}_sum`, null, double(point, 'sum', at) ?? 0);
  put(`${name}_count`, null, count(field(point, 'count'), `${at}.count`));
}

function numbers(obj: Obj, key: string, at: string): number[] {
  const value = field(obj, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadPayload(`${at}.${key} must be an array`);
  return value.map((v, i) => {
    const n = double({ v }, 'v', `${at}.${key}[${i}]`);
    if (n === undefined || Number.isNaN(n)) throw new BadRecord(`${at}.${key}[${i}] must be a number`);
    return n;
  });
}

/** A bucket bound or quantile as Prometheus writes it in a label: `0.25`, `1`, `+Inf`. */
function formatBound(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}

function pointLabels(point: Obj, at: string, target: Label[], limits: ValueLimits): Label[] {
  const attrs: Record<string, JsonValue> = {};
  attributes(point, 'attributes', at, limits, attrs);
  return labelsOf(attrs, target, limits);
}

const RESERVED = new Set(['job', 'instance', '__name__', 'le', 'quantile']);

/** `target` plus attributes as labels: names sanitized, values as text, colliding keys joined with `;`. */
function labelsOf(attrs: Record<string, JsonValue>, target: Label[], limits: ValueLimits): Label[] {
  const byName = new Map<string, string[]>();
  for (const [key, value] of Object.entries(attrs)) {
    const name = labelName(key);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text === '' || RESERVED.has(name)) continue;
    const values = byName.get(name);
    if (values === undefined) byName.set(name, [truncate(text, limits)]);
    else values.push(truncate(text, limits));
  }
  const out = [...target];
  for (const [name, values] of byName) out.push({ name, value: values.join(';') });
  return out;
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
