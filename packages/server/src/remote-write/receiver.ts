import type { Logger } from '@vigil/sdk';
import type { Metrics } from '@vigil/sdk/metrics';
import type { Label } from '@vigil/tsdb';
import type { FastifyInstance } from 'fastify';
import type { SampleSink } from '../scrape/target.js';
import { type ReceiverMetrics, receiverMetrics } from './remote-write-metrics.js';
import { BadWriteRequest, decodeWriteRequest } from './wire.js';

/** Size limits of /api/v1/write. */
export interface ReceiverLimits {
  /** Bytes of the compressed body (default 32 MiB); larger is 413. */
  maxBodyBytes: number;
  /** Bytes once uncompressed (default 256 MiB); larger is 413. */
  maxDecodedBytes: number;
}

/** What the receiver plugin takes. */
export interface RemoteWriteReceiverOptions {
  sink: SampleSink;
  logger: Logger;
  metrics?: Metrics;
  limits?: Partial<ReceiverLimits>;
}

/** Default limits of /api/v1/write. */
export const DEFAULT_RECEIVER_LIMITS: ReceiverLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  maxDecodedBytes: 256 * 1024 * 1024,
};

const PROTOBUF = 'application/x-protobuf';
// Refusals answered 400, as Prometheus's receiver does, so a sender drops the batch instead of
// retrying it for ever. A duplicate timestamp is only counted: Vigil's store cannot tell a resent
// identical sample (which Prometheus accepts, and a sender resends after a lost answer) from one
// with another value.
const REFUSED_AS_BAD_REQUEST = new Set(['out_of_order', 'bad_timestamp']);

/**
 * `POST /api/v1/write`: remote write 1.0 (snappy + protobuf WriteRequest) into `sink`.
 * Register it with `app.register(remoteWriteReceiver, options)` so its protobuf body parser
 * stays in its own scope. 204 once every sample was appended; 400 with the reason for a body
 * that is not snappy or not a WriteRequest, for a series with bad labels, or when the sink
 * refused samples as out of order (the others of the request are kept); 413 past the limits.
 */
export async function remoteWriteReceiver(app: FastifyInstance, options: RemoteWriteReceiverOptions): Promise<void> {
  const limits = { ...DEFAULT_RECEIVER_LIMITS, ...options.limits };
  const log = options.logger.module('remote-write-receiver');
  const metrics: ReceiverMetrics | undefined = options.metrics ? receiverMetrics(options.metrics) : undefined;
  if (app.hasContentTypeParser(PROTOBUF)) app.removeContentTypeParser(PROTOBUF);
  app.addContentTypeParser(PROTOBUF, { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/api/v1/write', { bodyLimit: limits.maxBodyBytes }, async (request, reply) => {
    const answer = (code: number, message?: string) => {
      metrics?.requests.inc({ code: String(code) });
      return message === undefined ? reply.code(code).send() : reply.code(code).type('text/plain').send(message);
    };
    const body = request.body;
    if (!Buffer.isBuffer(body)) return answer(400, `expected a snappy-compressed ${PROTOBUF} body`);
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'snappy') {
      return answer(400, `Content-Encoding ${encoding} is not supported: remote write bodies are snappy`);
    }
    const declared = uncompressedLength(body);
    if (declared !== undefined && declared > limits.maxDecodedBytes) {
      return answer(413, `body uncompresses to ${declared} bytes, more than the limit of ${limits.maxDecodedBytes}`);
    }
    let decoded: ReturnType<typeof decodeWriteRequest>;
    try {
      decoded = decodeWriteRequest(body, limits.maxDecodedBytes);
    } catch (error) {
      if (error instanceof BadWriteRequest) return answer(400, error.message);
      throw error;
    }
    const refused = new Map<string, number>();
    let first = '';
    let appended = 0;
    for (const { metric, type, help, unit } of decoded.metadata) {
      if (metric) options.sink.setMetadata(metric, { type, help, unit });
    }
    for (const [index, one] of decoded.series.entries()) {
      const labels = normalized(one.labels);
      if (typeof labels === 'string') return answer(400, `timeseries ${index}: ${labels}`);
      const ref = options.sink.ref(labels);
      for (const { t, v } of one.samples) {
        const result = options.sink.append(ref, t, v);
        if (result === 'ok') {
          appended++;
          continue;
        }
        refused.set(result, (refused.get(result) ?? 0) + 1);
        if (!first) first = `${seriesText(labels)} @${t}: ${result}`;
      }
    }
    metrics?.received.inc({ result: 'ok' }, appended);
    for (const [reason, count] of refused) metrics?.received.inc({ result: reason }, count);
    const bad = [...refused].filter(([reason]) => REFUSED_AS_BAD_REQUEST.has(reason));
    if (bad.length > 0) {
      const total = bad.reduce((sum, [, count]) => sum + count, 0);
      log.warning({ refused: Object.fromEntries(refused), first }, 'remote write: samples refused');
      return answer(
        400,
        `out of order sample: ${total} of ${appended + total} samples refused (${bad.map(([r, c]) => `${r}: ${c}`).join(', ')}); first: ${first}`,
      );
    }
    return answer(204);
  });
}

// Labels sorted by name without empty values, as SampleSink.ref wants; a reason when invalid.
function normalized(labels: readonly Label[]): Label[] | string {
  const out = labels.filter((l) => l.value !== '').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (out.length === 0) return 'no labels';
  for (let i = 0; i < out.length; i++) {
    const name = out[i]!.name;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) return `invalid label name ${JSON.stringify(name)}`;
    if (i > 0 && out[i - 1]!.name === name) return `duplicate label name ${name}`;
  }
  if (!out.some((l) => l.name === '__name__')) return 'no __name__ label';
  return out;
}

function seriesText(labels: readonly Label[]): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

// A snappy block starts with its uncompressed length as a varint: checked before allocating.
function uncompressedLength(body: Buffer): number | undefined {
  let value = 0;
  for (let i = 0, shift = 0; i < Math.min(body.length, 5); i++, shift += 7) {
    const byte = body[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value;
  }
  return undefined;
}
