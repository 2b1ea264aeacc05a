import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collect, labelsOf, parseError } from './support/exposition-collect.js';

const format = 'prometheus';

/** A sample as [name, labels, value, timestampMs?]. */
type Row = [string, Record<string, string>, number, number?];

const rows = (text: string): Row[] =>
  collect(text, { format }).samples.map((s) => {
    const row: Row = [s.name, labelsOf(s), s.value];
    if (s.timestampMs !== undefined) row.push(s.timestampMs);
    return row;
  });

describe('Prometheus text 0.0.4: valid input', () => {
  const cases: Array<{ name: string; text: string; samples: Row[] }> = [
    { name: 'an empty exposition yields nothing', text: '', samples: [] },
    { name: 'a sample without labels', text: 'up 1\n', samples: [['up', {}, 1]] },
    { name: 'no newline at the end', text: 'up 1', samples: [['up', {}, 1]] },
    {
      name: 'labels come out sorted by name',
      text: 'm{zone="b",app="x",mid="q"} 2\n',
      samples: [['m', { app: 'x', mid: 'q', zone: 'b' }, 2]],
    },
    {
      name: 'empty braces and a trailing comma',
      text: 'a{} 1\nb{x="1",} 2\n',
      samples: [
        ['a', {}, 1],
        ['b', { x: '1' }, 2],
      ],
    },
    { name: 'an empty label value', text: 'm{a=""} 1\n', samples: [['m', { a: '' }, 1]] },
    {
      name: 'escapes in label values: \\\\, \\" and \\n; unknown escapes stay as written',
      text: 'm{a="x\\\\y",b="say \\"hi\\"",c="l1\\nl2",d="tab\\t"} 1\n',
      samples: [['m', { a: 'x\\y', b: 'say "hi"', c: 'l1\nl2', d: 'tab\\t' }, 1]],
    },
    {
      name: 'UTF-8 in label values',
      text: 'm{city="Zürich 東京 🚀"} 1\n',
      samples: [['m', { city: 'Zürich 東京 🚀' }, 1]],
    },
    {
      name: 'integer millisecond timestamps',
      text: 'm 1 1700000000123\nn 2 0\n',
      samples: [
        ['m', {}, 1, 1700000000123],
        ['n', {}, 2, 0],
      ],
    },
    {
      name: 'no whitespace needed before the value, as Prometheus lexes it',
      text: 'm{a="1"}2\nn-3\n',
      samples: [
        ['m', { a: '1' }, 2],
        ['n', {}, -3],
      ],
    },
    {
      name: 'float syntax as Go parses it',
      text: 'a 1e3\nb -1.5E-3\nc .5\nd 1.\ne +3\nf -0.0\ng 1234567890123456789\n',
      samples: [
        ['a', {}, 1000],
        ['b', {}, -0.0015],
        ['c', {}, 0.5],
        ['d', {}, 1],
        ['e', {}, 3],
        ['f', {}, -0],
        ['g', {}, 1.2345678901234568e18],
      ],
    },
    {
      name: 'Inf in every spelling Go accepts',
      text: 'a +Inf\nb -Inf\nc Inf\nd inf\ne +infinity\n',
      samples: [
        ['a', {}, Number.POSITIVE_INFINITY],
        ['b', {}, Number.NEGATIVE_INFINITY],
        ['c', {}, Number.POSITIVE_INFINITY],
        ['d', {}, Number.POSITIVE_INFINITY],
        ['e', {}, Number.POSITIVE_INFINITY],
      ],
    },
    {
      name: 'comments, blank lines and whitespace-only lines are skipped',
      text: '# a comment\n#no space is a comment too\n\n   \n\t\nm 1\n# HELPER not a help line\n',
      samples: [['m', {}, 1]],
    },
    {
      name: 'tabs and spaces between tokens and trailing',
      text: 'm{ a = "1" ,\tb="2" }\t 3 \t 1000 \t\nn  {c="3"} 4\n',
      samples: [
        ['m', { a: '1', b: '2' }, 3, 1000],
        ['n', { c: '3' }, 4],
      ],
    },
    {
      name: 'metric names with colons',
      text: 'job:http_requests:rate5m{job="api"} 12.5\n',
      samples: [['job:http_requests:rate5m', { job: 'api' }, 12.5]],
    },
    {
      name: 'quoted UTF-8 metric and label names (newer Prometheus)',
      text: '{"my.metric","label.with.dots"="v",a="1"} 7\n{"only.name"} 8\n',
      samples: [
        ['my.metric', { a: '1', 'label.with.dots': 'v' }, 7],
        ['only.name', {}, 8],
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(rows(c.text), c.samples));
  }

  test('NaN values stay NaN', () => {
    const [sample] = collect('m NaN\nn nan\n', { format }).samples;
    assert.ok(Number.isNaN(sample!.value));
  });

  test('HELP unescapes \\\\ and \\n only, keeps \\" and all spaces after the first', () => {
    const { families } = collect('# HELP m a\\\\b\\nc \\"q\\"  two\n# HELP n\n# HELP o   lead\n', { format });
    assert.deepEqual(
      families.map((f) => [f.name, f.help]),
      [
        ['m', 'a\\b\nc \\"q\\"  two'],
        ['n', ''],
        ['o', '  lead'],
      ],
    );
  });

  test('TYPE accepts counter, gauge, histogram, summary and untyped; no TYPE means untyped', () => {
    const text = ['counter', 'gauge', 'histogram', 'summary', 'untyped'].map((t) => `# TYPE m_${t} ${t}\n`).join('');
    const { families } = collect(`${text}# HELP plain p\n`, { format });
    assert.deepEqual(
      families.map((f) => f.type),
      ['counter', 'gauge', 'histogram', 'summary', 'untyped', 'untyped'],
    );
  });

  test('HELP and TYPE of one name make one family, yielded before its samples', () => {
    const text =
      '# HELP rpc_seconds RPC latency.\n# TYPE rpc_seconds histogram\n' +
      'rpc_seconds_bucket{le="0.1"} 3\nrpc_seconds_bucket{le="+Inf"} 5\nrpc_seconds_sum 0.4\nrpc_seconds_count 5\n' +
      '# TYPE other gauge\nother 1\nstray 2\n';
    const c = collect(text, { format });
    assert.deepEqual(c.order, [
      'f:rpc_seconds',
      's:rpc_seconds_bucket',
      's:rpc_seconds_bucket',
      's:rpc_seconds_sum',
      's:rpc_seconds_count',
      'f:other',
      's:other',
      's:stray',
    ]);
    assert.deepEqual(c.families[0], { name: 'rpc_seconds', type: 'histogram', help: 'RPC latency.', unit: undefined });
    assert.deepEqual(
      c.samples.map((s) => s.family?.name),
      ['rpc_seconds', 'rpc_seconds', 'rpc_seconds', 'rpc_seconds', 'other', undefined],
    );
  });

  test('the series text is the name and label block as written', () => {
    const c = collect('m{b="2",a="1"} 1\nn 2\n', { format });
    assert.deepEqual(
      c.samples.map((s) => s.series),
      ['m{b="2",a="1"}', 'n'],
    );
  });
});

describe('Prometheus text 0.0.4: invalid input fails with line:column and what was expected', () => {
  const cases: Array<{ text: string; at: string; message: RegExp }> = [
    { text: 'm{a="1",a="2"} 1\n', at: '1:9', message: /duplicate label name "a"/ },
    { text: 'ok 1\nm{b="1",a="2",b="3"} 1\n', at: '2:15', message: /duplicate label name "b"/ },
    { text: 'm{__name__="x"} 1\n', at: '1:3', message: /duplicate label name "__name__"/ },
    { text: 'm{a="1" b="2"} 1\n', at: '1:9', message: /expected "," or "}" after a label, got "b"/ },
    { text: 'm{a} 1\n', at: '1:4', message: /expected "=" after label name "a", got "}"/ },
    { text: 'm{a=1} 1\n', at: '1:5', message: /expected a quoted label value, got "1"/ },
    { text: 'm{a="1} 1\n', at: '1:10', message: /expected a closing quote \("\), got end of line/ },
    { text: 'm{a="1\n"} 1\n', at: '1:7', message: /expected a closing quote/ },
    { text: 'm{a="1', at: '1:7', message: /expected a closing quote \("\), got end of input/ },
    { text: 'm{a="1\\', at: '1:8', message: /expected a character after "\\" in a quoted string/ },
    { text: 'm{a="ü', at: '1:7', message: /expected a closing quote \("\), got end of input/ },
    { text: 'm{1a="x"} 1\n', at: '1:3', message: /expected a label name or "}", got "1"/ },
    { text: 'm{a:b="x"} 1\n', at: '1:4', message: /expected "=" after label name "a", got ":"/ },
    { text: 'm\n', at: '1:2', message: /expected a number as the value, got end of line/ },
    { text: 'm 2 -5\n', at: '1:5', message: /expected a timestamp in integer milliseconds or end of line, got "-5"/ },
    { text: '# TYPE m gauge\r\nm 1\r\n', at: '1:10', message: /unknown metric type "gauge\\r"/ },
    { text: 'm 1\r\n', at: '1:3', message: /got "1\\r" \(CRLF line ends are not allowed\)/ },
    { text: 'ok 1\n\r\n', at: '2:1', message: /got a carriage return \(CRLF line ends are not allowed\)/ },
    { text: 'm 1x\n', at: '1:3', message: /expected a number as the value, got "1x"/ },
    { text: 'm 0x10\n', at: '1:3', message: /expected a number as the value, got "0x10"/ },
    { text: 'm 1_000\n', at: '1:3', message: /expected a number as the value, got "1_000"/ },
    { text: 'm +NaN\n', at: '1:3', message: /expected a number as the value, got "\+NaN"/ },
    { text: 'm 1e400\n', at: '1:3', message: /expected a number as the value, got "1e400"/ },
    { text: 'm 1 1.5\n', at: '1:5', message: /expected a timestamp in integer milliseconds or end of line, got "1.5"/ },
    { text: 'm 1 99999999999999999999\n', at: '1:5', message: /timestamp/ },
    { text: 'm 1 1000 extra\n', at: '1:10', message: /expected end of line after the timestamp, got "e"/ },
    { text: 'm 1 # {a="b"} 1\n', at: '1:5', message: /exemplars .* only allowed in OpenMetrics/ },
    { text: '-m 1\n', at: '1:1', message: /expected a metric name, "{" or "#", got "-"/ },
    {
      text: 'ok 1\n  m 1\n',
      at: '2:1',
      message: /expected a sample line to start with its metric name, got whitespace/,
    },
    { text: 'ok 1\n\n{a="1"} 1\n', at: '3:7', message: /expected a metric name before "{"/ },
    {
      text: '# TYPE m counterx\n',
      at: '1:10',
      message: /unknown metric type "counterx", expected one of counter, gauge/,
    },
    { text: '# TYPE m unknown\n', at: '1:10', message: /unknown metric type "unknown"/ },
    { text: '# TYPE m\n', at: '1:9', message: /unknown metric type ""/ },
    { text: '# HELP 1m x\n', at: '1:8', message: /expected a metric name after "# HELP", got "1"/ },
    { text: '# HELP m-x text\n', at: '1:9', message: /expected whitespace after the metric name, got "-"/ },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.text)} fails at ${c.at}`, () => {
      const error = parseError(c.text, { format });
      assert.equal(error.code, 'VIGIL_PARSE');
      assert.equal(`${error.line}:${error.column}`, c.at, error.message);
      assert.match(error.message, c.message);
      assert.ok(error.message.startsWith(`line ${c.at}: `), error.message);
    });
  }
});
