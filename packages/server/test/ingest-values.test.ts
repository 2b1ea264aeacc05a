import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { post, startIngestApp } from './support/ingest-app.js';
import { JSON_HEADERS, jsonSpan, traceRequest } from './support/ingest-bodies.js';

describe('OTLP/JSON value mapping', () => {
  test('every AnyValue kind, 64-bit integers beyond 2^53, non-finite doubles, bytes, enum names and numeric int64s', async () => {
    const { base, store } = await startIngestApp();
    const attributes = [
      { key: 's', value: { stringValue: 'text' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'i', value: { intValue: '42' } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'neg', value: { intValue: -7 } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: 'Infinity' } },
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, {}] } } },
      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
      { key: 'bytes', value: { bytesValue: 'aGVsbG8=' } },
      { key: 'empty', value: {} },
    ];
    const span = jsonSpan(1, {
      attributes,
      kind: 'SPAN_KIND_SERVER',
      startTimeUnixNano: 1795435200000000000,
      status: { code: 'STATUS_CODE_ERROR' },
    });
    const answer = await post(`${base}/v1/traces`, traceRequest([span]), JSON_HEADERS);
    assert.equal(answer.status, 200, answer.body.toString());
    const [stored] = (await store.spans.query()).records;
    assert.deepEqual(stored?.attributes, {
      s: 'text',
      b: true,
      i: 42,
      big: '9007199254740993',
      neg: -7,
      d: 1.5,
      nan: 'NaN',
      inf: 'Infinity',
      arr: ['a', 1, null],
      map: { k: false },
      bytes: 'aGVsbG8=',
      empty: null,
    });
    assert.equal(stored?.kind, 'server');
    assert.equal(stored?.status, 'error');
    assert.equal(stored?.ts, 1795435200000);
    assert.equal(stored?.duration_ms, 250);
  });
});
