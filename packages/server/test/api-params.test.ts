import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../src/api/envelope.js';
import { ApiParams, parseDurationParam, parseTime } from '../src/api/params.js';

describe('API parameters', () => {
  test('times: Unix seconds with decimals and RFC 3339', () => {
    assert.equal(parseTime('1700000000', 'time'), 1_700_000_000_000);
    assert.equal(parseTime('1700000000.123', 'time'), 1_700_000_000_123);
    assert.equal(parseTime('2023-11-14T22:13:20Z', 'time'), 1_700_000_000_000);
    assert.equal(parseTime('2023-11-14T23:13:20.5+01:00', 'time'), 1_700_000_000_500);
  });

  test('a bad time names the parameter and the text', () => {
    for (const text of ['yesterday', '2023-11-14', '1e400', '17000000000x']) {
      assert.throws(
        () => parseTime(text, 'start'),
        (e: unknown) =>
          e instanceof ApiError &&
          e.errorType === 'bad_data' &&
          e.message.includes('"start"') &&
          e.message.includes(text),
      );
    }
  });

  test('durations: float seconds and Prometheus syntax', () => {
    assert.equal(parseDurationParam('15', 'step'), 15_000);
    assert.equal(parseDurationParam('0.5', 'step'), 500);
    assert.equal(parseDurationParam('1m30s', 'step'), 90_000);
    assert.equal(parseDurationParam('1h', 'step'), 3_600_000);
    assert.equal(parseDurationParam('250ms', 'step'), 250);
    for (const bad of ['', 'fast', '1m1h', '-5', '5 s']) {
      assert.throws(() => parseDurationParam(bad, 'step'), /invalid parameter "step"/);
    }
  });

  test('GET query and POST form body are merged; match[] repeats; limits are checked', () => {
    const p = new ApiParams('match[]=up&limit=5', 'match[]=process_cpu_seconds_total&query=up');
    assert.deepEqual(p.all('match[]'), ['up', 'process_cpu_seconds_total']);
    assert.equal(p.required('query'), 'up');
    assert.equal(p.limit('limit'), 5);
    assert.throws(() => new ApiParams('limit=-1').limit('limit'), /"limit": expected a non-negative integer/);
    assert.throws(() => new ApiParams('').required('query'), /parameter "query" is required/);
  });
});
