import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { OTLP } from '../src/ingest/otlp/schema.js';
import { post, startIngestApp } from './support/ingest-app.js';
import {
  JSON_HEADERS,
  jsonSpan,
  logsRequest,
  metricsRequest,
  PROTO_HEADERS,
  traceRequest,
} from './support/ingest-bodies.js';

describe('OTLP ingest refuses bad input with the reason', () => {
  test('a Content-Type other than protobuf or JSON is 415', async () => {
    const { base } = await startIngestApp();
    const answer = await post(`${base}/v1/traces`, 'hello', { 'content-type': 'text/plain' });
    assert.equal(answer.status, 415);
    assert.match(
      (answer.json() as { message: string }).message,
      /Content-Type must be application\/x-protobuf or application\/json, got "text\/plain"/,
    );
  });

  test('a protobuf body that does not decode is 400 with a google.rpc.Status in protobuf', async () => {
    const { base } = await startIngestApp();
    const answer = await post(`${base}/v1/traces`, Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x02]), PROTO_HEADERS);
    assert.equal(answer.status, 400);
    assert.equal(answer.headers.get('content-type'), 'application/x-protobuf');
    const status = OTLP.status.toObject(OTLP.status.decode(answer.body)) as { code: number; message: string };
    assert.equal(status.code, 3);
    assert.match(status.message, /the protobuf body is not an OTLP traces request: index out of range/);
  });

  test('JSON that does not parse, is not an object, or has the wrong structure is 400 naming where', async () => {
    const { base, store } = await startIngestApp();
    const cases: [string, RegExp][] = [
      ['{"resourceSpans": [', /the JSON body does not parse/],
      ['[1, 2]', /must be an OTLP traces request object/],
      ['{"resourceSpans": {}}', /request\.resourceSpans must be an array/],
      [
        '{"resourceSpans": [{"scopeSpans": [{"spans": [7]}]}]}',
        /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\] must be an object/,
      ],
      [traceRequest([jsonSpan(1, { name: 12 })]), /spans\[0\]\.name must be a string/],
      [traceRequest([jsonSpan(1, { startTimeUnixNano: 'soon' })]), /startTimeUnixNano must be a 64-bit integer/],
      [
        traceRequest([jsonSpan(1, { attributes: [{ key: 'a', value: { intValue: 'x' } }] })]),
        /attributes\[0\]\.value\.intValue must be a 64-bit integer/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await post(`${base}/v1/traces`, body, JSON_HEADERS);
      assert.equal(answer.status, 400, body);
      assert.deepEqual(Object.keys(answer.json() as object), ['code', 'message']);
      assert.match((answer.json() as { message: string }).message, message);
    }
    assert.equal((await store.spans.query()).records.length, 0, 'nothing of a refused request is stored');
  });

  test('invalid spans are refused one by one with partial_success; the valid ones are stored', async () => {
    const { base, store } = await startIngestApp();
    const body = traceRequest([
      jsonSpan(1),
      jsonSpan(2, { spanId: 'abc' }),
      jsonSpan(3, { traceId: '00000000000000000000000000000000' }),
      jsonSpan(4, { name: '' }),
      jsonSpan(5, { endTimeUnixNano: '1795435199000000000' }),
      jsonSpan(6, { attributes: [{ key: 'deep', value: nested(20) }] }),
    ]);
    const answer = await post(`${base}/v1/traces`, body, JSON_HEADERS);
    assert.equal(answer.status, 200);
    const { partialSuccess } = answer.json() as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    assert.equal(partialSuccess.rejectedSpans, 5);
    assert.match(partialSuccess.errorMessage, /spans\[1\]\.spanId must be 16 hex digits, got "abc"/);
    assert.match(partialSuccess.errorMessage, /spans\[2\]\.traceId is missing or all zeros/);
    assert.match(partialSuccess.errorMessage, /spans\[3\]\.name is empty/);
    assert.match(partialSuccess.errorMessage, /spans\[4\]\.endTimeUnixNano is before startTimeUnixNano/);
    assert.match(partialSuccess.errorMessage, /nested deeper than 8 levels/);
    assert.deepEqual(
      (await store.spans.query()).records.map((s) => s.name),
      ['step 1'],
    );
  });

  test('partial success in protobuf: the response message carries rejected_log_records', async () => {
    const { base } = await startIngestApp();
    const request = OTLP.logsRequest.fromObject({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { body: { stringValue: 'ok' } },
                { body: { stringValue: 'bad' }, traceId: Buffer.from([1, 2, 3]) },
              ],
            },
          ],
        },
      ],
    });
    const answer = await post(`${base}/v1/logs`, OTLP.logsRequest.encode(request).finish(), PROTO_HEADERS);
    assert.equal(answer.status, 200);
    const response = OTLP.logsResponse.toObject(OTLP.logsResponse.decode(answer.body), { longs: Number }) as {
      partialSuccess: { rejectedLogRecords: number; errorMessage: string };
    };
    assert.equal(response.partialSuccess.rejectedLogRecords, 1);
    assert.match(response.partialSuccess.errorMessage, /logRecords\[1\]\.traceId must be 16 bytes, got 3/);
  });

  test('a full success answers an empty response message', async () => {
    const { base } = await startIngestApp();
    const json = await post(`${base}/v1/traces`, traceRequest([jsonSpan(1)]), JSON_HEADERS);
    assert.deepEqual(json.json(), {});
    const proto = await post(
      `${base}/v1/traces`,
      OTLP.traceRequest.encode(OTLP.traceRequest.fromObject({})).finish(),
      PROTO_HEADERS,
    );
    assert.equal(proto.status, 200);
    assert.equal(proto.body.length, 0);
  });

  test('attributes over the limit are dropped and counted; long strings are truncated', async () => {
    const { base, store } = await startIngestApp({ limits: { maxAttributes: 3, maxStringLength: 10 } });
    const attributes = Array.from({ length: 5 }, (_, i) => ({ key: `a${i}`, value: { stringValue: 'x'.repeat(20) } }));
    const answer = await post(
      `${base}/v1/logs`,
      logsRequest([{ body: { stringValue: 'y'.repeat(30) }, attributes }]),
      JSON_HEADERS,
    );
    assert.equal(answer.status, 200);
    const [line] = (await store.logs.query()).records;
    assert.equal(line?.message, 'y'.repeat(10));
    assert.deepEqual(line?.attributes, {
      a0: 'x'.repeat(10),
      a1: 'x'.repeat(10),
      a2: 'x'.repeat(10),
      'vigil.dropped_attributes_count': 2,
    });
  });

  test('a body over the size limit is 413, by Content-Length or as it streams, and after gzip', async () => {
    const { base } = await startIngestApp({ limits: { maxBodyBytes: 1000, maxDecodedBytes: 5000 } });
    const big = traceRequest(Array.from({ length: 40 }, (_, i) => jsonSpan(i)));
    const answer = await post(`${base}/v1/traces`, big, JSON_HEADERS);
    assert.equal(answer.status, 413);
    assert.match((answer.json() as { message: string }).message, /more than the limit of 1000/);
    const bomb = gzipSync(Buffer.alloc(100_000, 32));
    assert.ok(bomb.length < 1000);
    const unzipped = await post(`${base}/v1/traces`, bomb, { ...JSON_HEADERS, 'content-encoding': 'gzip' });
    assert.equal(unzipped.status, 413);
    assert.match((unzipped.json() as { message: string }).message, /more than 5000 bytes once decompressed/);
  });

  test('a bad gzip body is 400; an unknown Content-Encoding is 415', async () => {
    const { base } = await startIngestApp();
    const bad = await post(`${base}/v1/traces`, 'not gzip', { ...JSON_HEADERS, 'content-encoding': 'gzip' });
    assert.equal(bad.status, 400);
    assert.match((bad.json() as { message: string }).message, /the body is not valid gzip/);
    const br = await post(`${base}/v1/traces`, 'x', { ...JSON_HEADERS, 'content-encoding': 'br' });
    assert.equal(br.status, 415);
  });

  test('more records than the per-request limit is 413 and nothing is stored', async () => {
    const { base, store, sink } = await startIngestApp({ limits: { maxRecordsPerRequest: 3 } });
    const answer = await post(`${base}/v1/traces`, traceRequest([1, 2, 3, 4].map((i) => jsonSpan(i))), JSON_HEADERS);
    assert.equal(answer.status, 413);
    assert.match((answer.json() as { message: string }).message, /4 spans, more than the limit of 3 per request/);
    assert.equal((await store.spans.query()).records.length, 0);
    const points = Array.from({ length: 4 }, (_, i) => ({
      timeUnixNano: '1795435200000000000',
      asInt: String(i),
      attributes: [{ key: 'i', value: { intValue: i } }],
    }));
    const metrics = await post(
      `${base}/v1/metrics`,
      metricsRequest([{ name: 'g', gauge: { dataPoints: points } }]),
      JSON_HEADERS,
    );
    assert.equal(metrics.status, 413);
    assert.equal(sink.samples.length, 0);
  });

  test('metrics: delta temporality, exponential histograms and bad buckets are refused per data point', async () => {
    const { base, sink } = await startIngestApp();
    const t = '1795435200000000000';
    const body = metricsRequest([
      { name: 'ok.gauge', unit: '1', gauge: { dataPoints: [{ timeUnixNano: t, asDouble: 0.5 }] } },
      {
        name: 'delta',
        sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: t, asInt: '1' }] },
      },
      { name: 'exp', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{}, {}] } },
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [{ timeUnixNano: t, count: '3', bucketCounts: ['1', '2'], explicitBounds: [1, 2] }],
        },
      },
      { name: 'nots', gauge: { dataPoints: [{ asDouble: 1 }] } },
    ]);
    const answer = await post(`${base}/v1/metrics`, body, JSON_HEADERS);
    assert.equal(answer.status, 200);
    const { partialSuccess } = answer.json() as {
      partialSuccess: { rejectedDataPoints: number; errorMessage: string };
    };
    assert.equal(partialSuccess.rejectedDataPoints, 5);
    assert.match(partialSuccess.errorMessage, /delta temporality is not stored/);
    assert.match(partialSuccess.errorMessage, /exponential histograms are not stored/);
    assert.match(partialSuccess.errorMessage, /2 bucketCounts for 2 explicitBounds/);
    assert.match(partialSuccess.errorMessage, /timeUnixNano is missing/);
    assert.deepEqual(
      sink.samples.map((s) => [s.series, s.v]),
      [['ok_gauge_ratio{job="planner"}', 0.5]],
    );
  });

  test('too many requests in flight is 429 with Retry-After, before the body is read', async () => {
    const { base, store } = await startIngestApp({ limits: { maxInFlight: 1, retryAfterSeconds: 7 } });
    const body = traceRequest([jsonSpan(1)]);
    const url = new URL(`${base}/v1/traces`);
    // A first request sends half its body and waits: it holds the only slot.
    const first = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { ...JSON_HEADERS, 'content-length': String(body.length) },
    });
    const firstDone = new Promise<number>((resolve) =>
      first.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    first.write(body.slice(0, 10));
    // Until the first request holds its slot, a probe may get through (the same span: stored once).
    let busy = await post(`${base}/v1/traces`, body, JSON_HEADERS);
    for (let i = 0; i < 100 && busy.status !== 429; i++) busy = await post(`${base}/v1/traces`, body, JSON_HEADERS);
    assert.equal(busy.status, 429);
    assert.equal(busy.headers.get('retry-after'), '7');
    assert.match((busy.json() as { message: string }).message, /ingest is busy/);
    first.end(body.slice(10));
    assert.equal(await firstDone, 200);
    assert.equal((await store.spans.query()).records.length, 1);
    assert.equal((await post(`${base}/v1/traces`, body, JSON_HEADERS)).status, 200, 'the slot is free again');
  });

  test('a client that goes away mid-body: nothing stored, the store stays ready, the next request is served', async () => {
    const seen: { status: number }[] = [];
    const { app, base, store, health } = await startIngestApp({ onOutcome: (o) => seen.push(o) });
    const body = traceRequest([jsonSpan(1)]);
    const url = new URL(`${base}/v1/traces`);
    const cut = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { ...JSON_HEADERS, 'content-length': String(body.length) },
    });
    cut.on('error', () => {});
    const received = new Promise((resolve) => app.server.once('request', resolve));
    cut.write(body.slice(0, 10));
    await received;
    await new Promise((r) => setImmediate(r));
    cut.destroy();
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(
      seen.map((o) => o.status),
      [400],
    );
    assert.equal((await store.spans.query()).records.length, 0);
    assert.deepEqual(await health.check(store), { status: 'ok' });
    assert.equal((await post(`${base}/v1/traces`, body, JSON_HEADERS)).status, 200);
  });

  test('a store that cannot write answers 503 with Retry-After, and readiness says down until it recovers', async () => {
    const { base, store, health } = await startIngestApp();
    assert.deepEqual(await health.check(store), { status: 'ok' });
    await store.close();
    const answer = await post(`${base}/v1/traces`, traceRequest([jsonSpan(1)]), JSON_HEADERS);
    assert.equal(answer.status, 503);
    assert.equal(answer.headers.get('retry-after'), '1');
    assert.match((answer.json() as { message: string }).message, /the record store cannot take writes now: .*closed/);
    const ready = await health.check(store);
    assert.equal(ready.status, 'down');
    assert.match(ready.detail ?? '', /record store write failed/);
    const sdk = await post(`${base}/api/vigil/ingest/logs`, '{"msg":"x"}\n', {
      'content-type': 'application/x-ndjson',
    });
    assert.equal(sdk.status, 503);
  });
});

describe('ingest outcomes for the service metrics', () => {
  test('every request is reported with its route, status and record counts; a throwing callback changes nothing', async () => {
    const seen: unknown[] = [];
    const { base } = await startIngestApp({
      onOutcome: (o) => {
        seen.push(o);
        throw new Error('metrics bug');
      },
    });
    assert.equal(
      (await post(`${base}/v1/traces`, traceRequest([jsonSpan(1), jsonSpan(2, { spanId: 'x' })]), JSON_HEADERS)).status,
      200,
    );
    assert.equal((await post(`${base}/v1/traces`, 'nope', JSON_HEADERS)).status, 400);
    assert.equal(
      (await post(`${base}/api/vigil/ingest/logs`, 'a\nb\n', { 'content-type': 'application/x-ndjson' })).status,
      200,
    );
    assert.deepEqual(seen, [
      { route: 'traces', status: 200, accepted: 1, rejected: 1 },
      { route: 'traces', status: 400, accepted: 0, rejected: 0 },
      { route: 'ndjson', status: 200, accepted: 2, rejected: 0 },
    ]);
  });
});

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: 'leaf' };
  for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value] } };
  return value;
}
