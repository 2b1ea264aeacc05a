// Writes history into Prometheus through its remote-write receiver: protobuf and snappy encoded by hand,
// (the WriteRequest message has four small types; snappy allows a stream of literals).

/** One series with its samples in time order. */
export interface WriteSeries {
  labels: Record<string, string>;
  samples: { timestampMs: number; value: number }[];
}

/** POSTs `series` to `<prometheusUrl>/api/v1/write`; throws with Prometheus's message when refused. */
export async function remoteWrite(prometheusUrl: string, series: readonly WriteSeries[]): Promise<void> {
  const body = snappyLiterals(encodeWriteRequest(series));
  const response = await fetch(`${prometheusUrl}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`remote write refused (${response.status}): ${text}`);
}

function encodeWriteRequest(series: readonly WriteSeries[]): Uint8Array {
  const out = new Bytes();
  for (const s of series) {
    const ts = new Bytes();
    for (const name of Object.keys(s.labels).sort()) {
      const label = new Bytes();
      label.string(1, name);
      label.string(2, s.labels[name]!);
      ts.message(1, label);
    }
    for (const sample of s.samples) {
      const encoded = new Bytes();
      encoded.double(1, sample.value);
      encoded.varintField(2, sample.timestampMs);
      ts.message(2, encoded);
    }
    out.message(1, ts);
  }
  return out.bytes();
}

class Bytes {
  readonly #parts: number[] = [];

  varint(value: number): void {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;
    while (v >= 0x80n) {
      this.#parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#parts.push(Number(v));
  }

  varintField(field: number, value: number): void {
    this.varint(field << 3);
    this.varint(value);
  }

  double(field: number, value: number): void {
    this.varint((field << 3) | 1);
    const buffer = Buffer.alloc(8);
    buffer.writeDoubleLE(value);
    this.#parts.push(...buffer);
  }

  string(field: number, value: string): void {
    this.raw(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, value: Bytes): void {
    this.raw(field, value.bytes());
  }

  raw(field: number, value: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(value.length);
    for (const byte of value) this.#parts.push(byte);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#parts);
  }
}

/** Snappy block format made only of literals: valid, uncompressed. */
function snappyLiterals(data: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  const head = new Bytes();
  head.varint(data.length);
  parts.push(Buffer.from(head.bytes()));
  for (let offset = 0; offset < data.length; offset += 65_536) {
    const chunk = data.subarray(offset, Math.min(data.length, offset + 65_536));
    const n = chunk.length - 1;
    if (n < 60) parts.push(Buffer.from([n << 2]));
    else if (n < 256) parts.push(Buffer.from([60 << 2, n]));
    else parts.push(Buffer.from([61 << 2, n & 0xff, n >> 8]));
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}
