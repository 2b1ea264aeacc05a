import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExpositionParser, formatFromContentType, TSDB_ERROR_CODES, TsdbError } from '../src/index.js';
import { collect, parseError } from './support/exposition-collect.js';

describe('scrape limits fail the whole exposition and name the limit', () => {
  const text = 'a{x="1"} 1\nb{x="1",y="22"} 2\nc{x="1",y="22",z="333"} 3\n';

  test('sampleLimit: the sample past the limit fails, at its line', () => {
    assert.equal(collect(text, { format: 'prometheus', sampleLimit: 3 }).samples.length, 3);
    const error = parseError(text, { format: 'prometheus', sampleLimit: 2 });
    assert.equal(error.code, 'VIGIL_PARSE_LIMIT');
    assert.equal(`${error.line}:${error.column}`, '3:1');
    assert.match(error.message, /sample_limit exceeded: more than 2 samples \(sampleLimit\)/);
  });

  test('labelLimit counts __name__, as Prometheus does', () => {
    assert.equal(collect(text, { format: 'prometheus', labelLimit: 4 }).samples.length, 3);
    const error = parseError(text, { format: 'prometheus', labelLimit: 3 });
    assert.equal(error.code, 'VIGIL_PARSE_LIMIT');
    assert.equal(error.line, 3);
    assert.match(error.message, /label_limit exceeded: series has 4 labels with __name__, limit 3 \(labelLimit\)/);
  });

  test('labelNameLengthLimit is in UTF-8 bytes', () => {
    const error = parseError('m{short="1",toolong="2"} 1\n', { format: 'prometheus', labelNameLengthLimit: 5 });
    assert.equal(error.code, 'VIGIL_PARSE_LIMIT');
    assert.equal(`${error.line}:${error.column}`, '1:13');
    assert.match(error.message, /label_name_length_limit exceeded: label name "toolong" is 7 bytes, limit 5/);
  });

  test('labelValueLengthLimit is in UTF-8 bytes after unescaping, and covers the metric name', () => {
    const options = { format: 'prometheus', labelValueLengthLimit: 4 } as const;
    assert.equal(collect('m{a="ab\\n"} 1\nm{a="üü"} 1\n', options).samples.length, 2);
    const error = parseError('m{a="üüü"} 1\n', options);
    assert.equal(error.code, 'VIGIL_PARSE_LIMIT');
    assert.equal(`${error.line}:${error.column}`, '1:5');
    assert.match(error.message, /label_value_length_limit exceeded: the value of label "a" is 6 bytes, limit 4/);
    assert.match(parseError('metric 1\n', options).message, /metric name is 6 bytes/);
  });

  test('limits are checked in OpenMetrics too, and exemplar labels are not limited', () => {
    const text = 'm_total{a="1"} 1 # {trace_id="0123456789"} 1\n# EOF\n';
    assert.equal(collect(text, { format: 'openmetrics', labelValueLengthLimit: 7 }).samples.length, 1);
    const error = parseError('m{a="12345678"} 1\n# EOF\n', { format: 'openmetrics', labelValueLengthLimit: 7 });
    assert.equal(error.code, 'VIGIL_PARSE_LIMIT');
  });

  test('skipped _created samples do not count toward sampleLimit', () => {
    const om = '# TYPE c counter\nc_total 1\nc_created 2\n# EOF\n';
    assert.equal(collect(om, { format: 'openmetrics', sampleLimit: 1, skipCreatedSeries: true }).samples.length, 1);
  });

  test('a negative or fractional limit and an unknown format are option errors', () => {
    assert.throws(
      () => new ExpositionParser('', { format: 'prometheus', sampleLimit: -1 }),
      (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_TSDB_BAD_OPTION' && /sampleLimit/.test(e.message),
    );
    assert.throws(() => new ExpositionParser('', { format: 'prometheus', labelLimit: 1.5 }), /labelLimit/);
    assert.throws(() => new ExpositionParser('', { format: 'json' as 'prometheus' }), /format must be/);
  });
});

describe('the format comes from the Content-Type, as Prometheus chooses it', () => {
  const cases: Array<[string | null, string]> = [
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['application/openmetrics-text;version=0.0.1', 'openmetrics'],
    ['Application/OpenMetrics-Text', 'openmetrics'],
    ['text/plain; version=0.0.4; charset=utf-8', 'prometheus'],
    ['text/plain', 'prometheus'],
    [null, 'prometheus'],
    ['text/html', 'prometheus'],
  ];
  for (const [contentType, expected] of cases) {
    test(`${JSON.stringify(contentType)} is ${expected}`, () =>
      assert.equal(formatFromContentType(contentType), expected));
  }

  test('without a fallback a missing or unknown type fails, and protobuf always does', () => {
    for (const contentType of [undefined, 'text/html']) {
      assert.throws(
        () => formatFromContentType(contentType, { fallback: null }),
        (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_PARSE_CONTENT_TYPE',
      );
    }
    assert.throws(
      () => formatFromContentType('application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily'),
      /protobuf/,
    );
    assert.equal(formatFromContentType('', { fallback: 'openmetrics' }), 'openmetrics');
  });
});

describe('the pull parser', () => {
  test('reads samples without building labels until asked, and series is a cache key', () => {
    const parser = new ExpositionParser('# TYPE m gauge\nm{b="2",a="1"} 5 1000\nm{b="3",a="1"} 6\n', {
      format: 'prometheus',
    });
    assert.equal(parser.next(), 'family');
    assert.deepEqual(parser.metadata, { name: 'm', type: 'gauge', help: undefined, unit: undefined });
    assert.equal(parser.next(), 'sample');
    assert.equal(parser.name, 'm');
    assert.equal(parser.series, 'm{b="2",a="1"}');
    assert.equal(parser.value, 5);
    assert.equal(parser.timestampMs, 1000);
    assert.equal(parser.metadata?.name, 'm');
    assert.equal(parser.line, 2);
    assert.equal(parser.next(), 'sample');
    assert.deepEqual(parser.labels(), [
      { name: 'a', value: '1' },
      { name: 'b', value: '3' },
    ]);
    assert.equal(parser.timestampMs, undefined);
    assert.equal(parser.samples, 2);
    assert.equal(parser.next(), undefined);
    assert.equal(parser.next(), undefined);
  });

  test('a sample read right after its family sees that family, and _created is marked', () => {
    const text = '# TYPE c counter\nc_total 1\nc_created 2\nother 3\n# EOF\n';
    const parser = new ExpositionParser(text, { format: 'openmetrics' });
    assert.equal(parser.next(), 'family');
    assert.equal(parser.metadata?.name, 'c');
    assert.equal(parser.next(), 'sample');
    assert.deepEqual([parser.name, parser.metadata?.type, parser.created], ['c_total', 'counter', false]);
    assert.equal(parser.next(), 'sample');
    assert.deepEqual([parser.name, parser.metadata?.type, parser.created], ['c_created', 'counter', true]);
    assert.equal(parser.next(), 'sample');
    assert.deepEqual([parser.name, parser.metadata, parser.created], ['other', undefined, false]);
    assert.equal(parser.next(), undefined);
  });

  test('a family declared last, with no samples, is still yielded', () => {
    const parser = new ExpositionParser('m 1\n# HELP n never seen\n', { format: 'prometheus' });
    assert.equal(parser.next(), 'sample');
    assert.equal(parser.next(), 'family');
    assert.equal(parser.metadata?.help, 'never seen');
    assert.equal(parser.next(), undefined);
  });
});

test('every error code is described', () => {
  for (const [code, meaning] of Object.entries(TSDB_ERROR_CODES)) {
    assert.match(code, /^VIGIL_[A-Z_]+$/);
    assert.ok(meaning.length > 20, code);
  }
});
