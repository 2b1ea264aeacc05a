import type { Label } from '@vigil/tsdb';
import protobuf from 'protobufjs';
import SnappyJS from 'snappyjs';

// prometheus.WriteRequest of the remote write 1.0 specification, written here from its field
// numbers: WriteRequest{timeseries=1}, TimeSeries{labels=1, samples=2}, Label{name=1, value=2},
// Sample{value=1 (double), timestamp=2 (int64 ms)}. Fields 2 and 3 of WriteRequest are reserved
// by the spec; metadata, exemplars and histograms are skipped by the decoder, as protobuf allows.

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
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

/** The HTTP headers every remote write 1.0 request carries. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'content-encoding': 'snappy',
  'content-type': 'application/x-protobuf',
  'x-prometheus-remote-write-version': '0.1.0',
};

/** A request body: the series as a WriteRequest, snappy block-compressed. */
export function encodeWriteRequest(series: readonly WireSeries[]): Buffer {
  const timeseries = series.map((s) => ({
    labels: s.labels,
    samples: s.samples.map((sample) => ({ value: sample.v, timestamp: sample.t })),
  }));
  const bytes = WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish();
  return Buffer.from(SnappyJS.compress(bytes));
}

/** Why a body could not be read, for a 400 answer. */
export class BadWriteRequest extends Error {}

/**
 * The series of a request body. Throws BadWriteRequest when it is not one snappy block, would
 * uncompress past `maxBytes`, or is not a WriteRequest.
 */
export function decodeWriteRequest(body: Uint8Array, maxBytes: number): WireSeries[] {
  let bytes: Uint8Array;
  try {
    bytes = SnappyJS.uncompress(body, maxBytes);
  } catch (error) {
    throw new BadWriteRequest(`body is not a snappy block: ${(error as Error).message}`);
  }
  let decoded: { timeseries?: { labels?: Label[]; samples?: { value?: number; timestamp?: unknown }[] }[] };
  try {
    decoded = WriteRequest.decode(bytes) as typeof decoded;
  } catch (error) {
    throw new BadWriteRequest(`body is not a prometheus.WriteRequest: ${(error as Error).message}`);
  }
  return (decoded.timeseries ?? []).map((ts) => ({
    labels: (ts.labels ?? []).map((l) => ({ name: l.name ?? '', value: l.value ?? '' })),
    samples: (ts.samples ?? []).map((s) => ({ t: toNumber(s.timestamp), v: s.value ?? 0 })),
  }));
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return 0;
}
