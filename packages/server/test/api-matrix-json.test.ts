import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ColumnsResult, formatSampleValue, type SeriesColumns } from '@vigil/promql';
import { CHUNK_BYTES, matrixJson, type QuerySteps } from '../src/api/matrix-json.js';

// The answer as the API wrote it before: a `[seconds, "value"]` pair per point, stringified whole.
function stringified(result: ColumnsResult): string {
  return JSON.stringify({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: result.result.map((s) => ({
        metric: s.metric,
        values: Array.from(s.timestamps, (t, i) => [t / 1000, formatSampleValue(s.values[i]!)]),
      })),
    },
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    ...(result.infos?.length ? { infos: result.infos } : {}),
  });
}

function written(result: ColumnsResult, steps: QuerySteps): { text: string; chunks: Buffer[] } {
  const chunks = [...matrixJson(result, steps)];
  return { text: Buffer.concat(chunks).toString('utf8'), chunks };
}

function series(metric: Record<string, string>, timestamps: number[], values: number[]): SeriesColumns {
  return { metric, timestamps: Float64Array.from(timestamps), values: Float64Array.from(values) };
}

const steps: QuerySteps = { startMs: 1_700_000_000_000, stepMs: 15_000, endMs: 1_700_000_000_000 + 100 * 15_000 };
const at = (i: number) => steps.startMs + i * steps.stepMs;

describe('range query JSON', () => {
  test('is the text JSON.stringify wrote for every kind of value', () => {
    const values = [0, -0, 1.5, -2, 1e21, 1e-7, 5e-324, -1.7976931348623157e308, 0.1 + 0.2, NaN, Infinity, -Infinity];
    const result: ColumnsResult = {
      resultType: 'matrix',
      result: [
        series(
          { __name__: 'up', job: 'api' },
          values.map((_, i) => at(i)),
          values,
        ),
        series({ route: '/caf\u00e9 "quoted" \\ \u{1f600}', empty: '' }, [at(3), at(7)], [42, 0.25]),
      ],
    };
    assert.equal(written(result, steps).text, stringified(result));
  });

  test('points off the query steps are written from their own time', () => {
    const result: ColumnsResult = {
      resultType: 'matrix',
      result: [series({ a: 'b' }, [steps.startMs - 1, at(2) + 0.5, at(5), steps.endMs + 15_000], [1, 2, 3, 4])],
    };
    assert.equal(written(result, steps).text, stringified(result));
  });

  test('steps at fractions of a second, and steps whose time is long to write', () => {
    for (const fine of [
      { startMs: 1_700_000_000_123, stepMs: 1_001, endMs: 1_700_000_000_123 + 50 * 1_001 },
      { startMs: -1_700_000_000_123.25, stepMs: 0.5, endMs: -1_700_000_000_123.25 + 50 * 0.5 },
      { startMs: 0, stepMs: 1, endMs: 50 },
    ]) {
      const times = Array.from({ length: 51 }, (_, i) => fine.startMs + i * fine.stepMs);
      const result: ColumnsResult = {
        resultType: 'matrix',
        result: [
          series(
            { a: 'b' },
            times,
            times.map((_, i) => i / 3),
          ),
          series(
            { a: 'c' },
            times.slice(7),
            times.slice(7).map((_, i) => -i),
          ),
        ],
      };
      assert.equal(written(result, fine).text, stringified(result));
    }
  });

  test('an empty result, and warnings and infos beside the data', () => {
    const empty: ColumnsResult = { resultType: 'matrix', result: [] };
    assert.equal(written(empty, steps).text, stringified(empty));
    const annotated: ColumnsResult = {
      resultType: 'matrix',
      result: [series({ a: 'b' }, [at(0)], [1])],
      warnings: ['PromQL warning: "x" \u00e9'],
      infos: ['PromQL info: y'],
    };
    assert.equal(written(annotated, steps).text, stringified(annotated));
  });

  test('a large answer comes in chunks of about CHUNK_BYTES, labels of any size included', () => {
    const long = { __name__: 'big', blob: 'x'.repeat(CHUNK_BYTES + 10) };
    const n = 101;
    const many = Array.from({ length: 600 }, (_, s) =>
      series(
        s === 300 ? long : { __name__: 'm', instance: `host-${s}` },
        Array.from({ length: n }, (_, i) => at(i)),
        Array.from({ length: n }, (_, i) => (s * n + i) / 7),
      ),
    );
    const result: ColumnsResult = { resultType: 'matrix', result: many };
    const { text, chunks } = written(result, steps);
    assert.equal(text, stringified(result));
    assert.ok(chunks.length > 4, `${chunks.length} chunks`);
    for (const chunk of chunks.slice(0, -1)) {
      assert.ok(chunk.length > CHUNK_BYTES / 2 && chunk.length <= 2 * CHUNK_BYTES + 100, `chunk of ${chunk.length}`);
    }
  });
});
