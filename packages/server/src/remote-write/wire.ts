import type { Label, MetricType } from '@vigil/tsdb';
import protobuf from 'protobufjs';
import SnappyJS from 'snappyjs';

// prometheus.WriteRequest of the remote write 1.0 specification, written here from its field
// numbers: WriteRequest{timeseries=1}, TimeSeries{labels=1, samples=2}, Label{name=1, value=2},
// Sample{value=1 (double), timestamp=2 (int64 ms)}. Fields 2 and 3 of WriteRequest are reserved
// by the spec. Prometheus also sends metadata in field 3 (MetricMetadata{type=1, metric_family_name=2,
// help=4, unit=5}, outside the 1.0 spec); the receiver reads it and the sender sends it. Exemplars and histograms are
// skipped by the decoder, as protobuf allows.

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 },
            metadata: { rule: 'repeated', type: 'MetricMetadata', id: 3 },
          },
        },
        MetricMetadata: {
          fields: {
            type: { type: 'int32', id: 1 },
            metricFamilyName: { type: 'string', id: 2 },
            help: { type: 'string', id: 4 },
            unit: { type: 'string', id: 5 },
          },
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType('prometheus.WriteRequest');

/** One series of a write request: its labels and samples in time order. */
export interface WireSeries {
  labels: readonly Label[];
  samples: { t: number; v: number }[];
}

/** One family's metadata as Prometheus sends it. */
export interface WireMetadata {
  metric: string;
  type: MetricType;
  help: string;
  unit: string;
}

/** What a request body holds. */
export interface WriteRequestBody {
  series: WireSeries[];
  metadata: WireMetadata[];
}

// MetricMetadata.MetricType by number.
const TYPES: readonly MetricType[] = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];

/** The HTTP headers every remote write 1.0 request carries. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'content-encoding': 'snappy',
  'content-type': 'application/x-protobuf',
  'x-prometheus-remote-write-version': '0.1.0',
};

/** A request body: the series (and metadata, as Prometheus sends it) as a WriteRequest, snappy block-compressed. */
export function encodeWriteRequest(series: readonly WireSeries[], metadata: readonly WireMetadata[] = []): Buffer {
  const timeseries = series.map((s) => ({
    labels: s.labels,
    samples: s.samples.map((sample) => ({ value: sample.v, timestamp: sample.t })),
  }));
  const body: Record<string, unknown> = { timeseries };
  if (metadata.length > 0) {
    body.metadata = metadata.map((m) => ({
      type: Math.max(0, TYPES.indexOf(m.type)),
      metricFamilyName: m.metric,
      help: m.help,
      unit: m.unit,
    }));
  }
  const bytes = WriteRequest.encode(body).finish();
  return Buffer.from(SnappyJS.compress(bytes));
}

/** Why a body could not be read, for a 400 answer. */
export class BadWriteRequest extends Error {}

/**
 * The series of a request body. Throws BadWriteRequest when it is not one snappy block, would
 * uncompress past `maxBytes`, or is not a WriteRequest.
 */
export function decodeWriteRequest(body: Uint8Array, maxBytes: number): WriteRequestBody {
  let bytes: Uint8Array;
  try {
    bytes = SnappyJS.uncompress(body, maxBytes);
  } catch (error) {
    throw new BadWriteRequest(`body is not a snappy block: ${(error as Error).message}`);
  }
  let decoded: {
    timeseries?: { labels?: Label[]; samples?: { value?: number; timestamp?: unknown }[] }[];
    metadata?: { type?: number; metricFamilyName?: string; help?: string; unit?: string }[];
  };
  try {
    decoded = WriteRequest.decode(bytes) as typeof decoded;
  } catch (error) {
    throw new BadWriteRequest(`body is not a prometheus.WriteRequest: ${(error as Error).message}`);
  }
  const series = (decoded.timeseries ?? []).map((ts) => ({
    labels: (ts.labels ?? []).map((l) => ({ name: l.name ?? '', value: l.value ?? '' })),
    samples: (ts.samples ?? []).map((s) => ({ t: toNumber(s.timestamp), v: s.value ?? 0 })),
  }));
  const metadata = (decoded.metadata ?? []).map((m) => ({
    metric: m.metricFamilyName ?? '',
    type: TYPES[m.type ?? 0] ?? 'unknown',
    help: m.help ?? '',
    unit: m.unit ?? '',
  }));
  return { series, metadata };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return 0;
}
