import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collect, labelsOf, parseError } from './support/exposition-collect.js';

const format = 'openmetrics';

describe('OpenMetrics 1.0: valid input', () => {
  test('an exposition of only "# EOF", with or without the final line feed, yields nothing', () => {
    assert.deepEqual(collect('# EOF\n', { format }).order, []);
    assert.deepEqual(collect('# EOF', { format }).order, []);
  });

  test('a counter family with UNIT, HELP escapes, _total and _created samples', () => {
    const text =
      '# TYPE rpc_seconds counter\n# UNIT rpc_seconds seconds\n# HELP rpc_seconds Time \\"in\\" RPCs\\\\calls\\nsecond line.\n' +
      'rpc_seconds_total{method="get"} 12.5\nrpc_seconds_created{method="get"} 1700000000.25\n# EOF\n';
    const c = collect(text, { format });
    assert.deepEqual(c.families, [
      { name: 'rpc_seconds', type: 'counter', help: 'Time "in" RPCs\\calls\nsecond line.', unit: 'seconds' },
    ]);
    assert.deepEqual(
      c.samples.map((s) => [s.name, labelsOf(s), s.value, s.created, s.family?.name]),
      [
        ['rpc_seconds_total', { method: 'get' }, 12.5, false, 'rpc_seconds'],
        ['rpc_seconds_created', { method: 'get' }, 1700000000.25, true, 'rpc_seconds'],
      ],
    );
  });

  test('skipCreatedSeries leaves out _created samples of counters, histograms and summaries only', () => {
    const text =
      '# TYPE c counter\nc_total 1\nc_created 2\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\nh_created 3\n' +
      '# TYPE s summary\ns_count 1\ns_sum 2\ns_created 4\n# TYPE g gauge\ng_created 5\n# EOF\n';
    const names = collect(text, { format, skipCreatedSeries: true }).samples.map((s) => s.name);
    assert.deepEqual(names, ['c_total', 'h_bucket', 'h_count', 'h_sum', 's_count', 's_sum', 'g_created']);
    assert.equal(collect(text, { format }).samples.length, 10);
  });

  test('every OpenMetrics type, each owning its own sample names', () => {
    const text =
      '# TYPE a info\na_info{version="1.2"} 1\n# TYPE b stateset\nb{b="on"} 1\nb{b="off"} 0\n' +
      '# TYPE c gaugehistogram\nc_bucket{le="+Inf"} 2\nc_gcount 2\nc_gsum 5\n# TYPE d unknown\nd 1\n' +
      '# TYPE e gauge\ne 1\n# TYPE f summary\nf{quantile="0.5"} 1\n# TYPE g histogram\ng_bucket{le="1"} 0\nnot_g 1\n# EOF\n';
    const c = collect(text, { format });
    assert.deepEqual(
      c.families.map((f) => f.type),
      ['info', 'stateset', 'gaugehistogram', 'unknown', 'gauge', 'summary', 'histogram'],
    );
    assert.deepEqual(
      c.samples.map((s) => `${s.name}:${s.family?.type}`),
      [
        'a_info:info',
        'b:stateset',
        'b:stateset',
        'c_bucket:gaugehistogram',
        'c_gcount:gaugehistogram',
        'c_gsum:gaugehistogram',
        'd:unknown',
        'e:gauge',
        'f:summary',
        'g_bucket:histogram',
        'not_g:undefined',
      ],
    );
  });

  test('timestamps are float seconds, stored as milliseconds truncated as Prometheus does', () => {
    const c = collect('a 1 1700000000\nb 2 1520879607.789\nc 3 -1.5\nd 4 1e3\n# EOF\n', { format });
    assert.deepEqual(
      c.samples.map((s) => s.timestampMs),
      [1700000000000, 1520879607789, -1500, 1000000],
    );
  });

  test('NaN, +Inf and -Inf values', () => {
    const values = collect('a NaN\nb +Inf\nc -Inf\n# EOF\n', { format }).samples.map((s) => s.value);
    assert.ok(Number.isNaN(values[0]));
    assert.deepEqual(values.slice(1), [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  test('exemplars with and without a timestamp, after a sample timestamp too', () => {
    const text =
      '# TYPE h histogram\n' +
      'h_bucket{le="0.5"} 3 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736",span_id="00f067aa0ba902b7"} 0.43 1700000000.5\n' +
      'h_bucket{le="+Inf"} 5 1700000001 # {trace_id="b"} 1.0\n' +
      'h_count 5\n# EOF\n';
    const [a, b, plain] = collect(text, { format }).samples;
    assert.deepEqual(a!.exemplar, {
      labels: [
        { name: 'span_id', value: '00f067aa0ba902b7' },
        { name: 'trace_id', value: '4bf92f3577b34da6a3ce929d0e0e4736' },
      ],
      value: 0.43,
      timestampMs: 1700000000500,
    });
    assert.equal(a!.timestampMs, undefined);
    assert.deepEqual(b!.exemplar, { labels: [{ name: 'trace_id', value: 'b' }], value: 1, timestampMs: undefined });
    assert.equal(b!.timestampMs, 1700000001000);
    assert.equal(plain!.exemplar, undefined);
  });

  test('label value escapes round-trip', () => {
    const [sample] = collect('m{a="x\\\\y",b="\\"q\\"",c="1\\n2"} 1\n# EOF\n', { format }).samples;
    assert.deepEqual(labelsOf(sample!), { a: 'x\\y', b: '"q"', c: '1\n2' });
  });

  test('a family whose metadata is split by another family becomes two families', () => {
    const c = collect('# TYPE a gauge\n# TYPE b gauge\n# HELP a late help\na 1\n# EOF\n', { format });
    assert.deepEqual(
      c.families.map((f) => [f.name, f.type, f.help]),
      [
        ['a', 'gauge', undefined],
        ['b', 'gauge', undefined],
        ['a', 'unknown', 'late help'],
      ],
    );
  });
});

describe('OpenMetrics 1.0: invalid input fails with line:column and what was expected', () => {
  const cases: Array<{ text: string; at: string; message: RegExp }> = [
    { text: '', at: '1:1', message: /expected "# EOF" as the last line, got end of input/ },
    { text: 'm 1\n', at: '2:1', message: /expected "# EOF" as the last line/ },
    { text: 'm 1', at: '1:4', message: /expected "# EOF" as the last line/ },
    { text: '# EOF\nm 1\n', at: '2:1', message: /unexpected data after "# EOF"/ },
    { text: '# EOF\n\n', at: '2:1', message: /unexpected data after "# EOF"/ },
    { text: 'm 1\n\n# EOF\n', at: '2:1', message: /blank lines are not allowed/ },
    { text: '# a comment\n# EOF\n', at: '1:3', message: /expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "a"/ },
    { text: '#EOF\n', at: '1:2', message: /expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "E"/ },
    { text: '# TYPE m untyped\n# EOF\n', at: '1:10', message: /unknown metric type "untyped"/ },
    { text: '# TYPE m\n# EOF\n', at: '1:9', message: /expected a space after the metric name, got end of line/ },
    {
      text: '# UNIT m_bytes seconds\n# EOF\n',
      at: '1:16',
      message: /unit "seconds" is not a suffix of metric name "m_bytes"/,
    },
    { text: '# UNIT mseconds seconds\n# EOF\n', at: '1:17', message: /not a suffix/ },
    { text: 'm  1\n# EOF\n', at: '1:3', message: /expected a number as the value, got a space/ },
    { text: 'm\t1\n# EOF\n', at: '1:2', message: /expected a space and the value, got a tab/ },
    { text: 'm{a="1", b="2"} 1\n# EOF\n', at: '1:9', message: /expected a label name, got a space/ },
    { text: 'm {a="1"} 1\n# EOF\n', at: '1:3', message: /expected a number as the value, got "{a=\\"1\\"}"/ },
    { text: 'm{a="1",a="1"} 1\n# EOF\n', at: '1:9', message: /duplicate label name "a"/ },
    {
      text: 'm 1 \n# EOF\n',
      at: '1:5',
      message: /expected a timestamp in seconds or "# {" \(an exemplar\), got end of line/,
    },
    { text: 'm 1 NaN\n# EOF\n', at: '1:5', message: /expected a timestamp in seconds .*, got "NaN"/ },
    { text: 'm 1 +Inf\n# EOF\n', at: '1:5', message: /got "\+Inf"/ },
    { text: 'm 1\r\n# EOF\n', at: '1:3', message: /expected a number as the value, got "1\\r"/ },
    {
      text: 'm_total 1 # {a="1"}\n# EOF\n',
      at: '1:20',
      message: /expected a space and the exemplar value, got end of line/,
    },
    { text: 'm_total 1 # {a="1"} x\n# EOF\n', at: '1:21', message: /expected a number as the exemplar value, got "x"/ },
    {
      text: 'm_total 1 # {a="1"} 1 2 3\n# EOF\n',
      at: '1:24',
      message: /expected end of line after the exemplar timestamp, got a space/,
    },
    { text: 'm_total 1 # a\n# EOF\n', at: '1:13', message: /expected "# {" to start an exemplar, got "a"/ },
    { text: 'm_total 1 #{a="1"} 1\n# EOF\n', at: '1:12', message: /expected "# {" to start an exemplar, got "{"/ },
    { text: 'm_total 1 # {"x"} 1\n# EOF\n', at: '1:17', message: /expected "=" after label name "x", got "}"/ },
    { text: 'm_total 1 # {a="1",a="2"} 1\n# EOF\n', at: '1:20', message: /duplicate label name "a"/ },
    { text: 'm 1 # {a="1"} 1\n# EOF\n', at: '1:5', message: /metric name "m" does not support exemplars/ },
    { text: 'm{a="1",} 1\n# EOF\n', at: '1:9', message: /expected a label name, got "}"/ },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.text)} fails at ${c.at}`, () => {
      const error = parseError(c.text, { format });
      assert.equal(error.code, 'VIGIL_PARSE');
      assert.equal(`${error.line}:${error.column}`, c.at, error.message);
      assert.match(error.message, c.message);
    });
  }
});
