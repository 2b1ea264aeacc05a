import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TsdbError } from '../src/errors.js';
import { parseSeriesKey, seriesKey } from '../src/series/labels.js';
import { compileMatcher, type Matcher, type MatchType } from '../src/series/matcher.js';
import { SeriesIndex } from '../src/series/series-index.js';
import { seeded } from './support/chunks-samples.js';
import { fixture, labelValue } from './support/series-fixture.js';

const m = (name: string, type: MatchType, value: string): Matcher => ({ name, type, value });

function isCode(code: string) {
  return (err: unknown) => err instanceof TsdbError && (err.code as string) === code;
}

describe('series keys', () => {
  test('equal label sets give one id whatever their order; empty values are no label', () => {
    const index = new SeriesIndex();
    const a = index.add({ job: 'api', __name__: 'up', zone: '' });
    const b = index.add([
      { name: '__name__', value: 'up' },
      { name: 'job', value: 'api' },
    ]);
    assert.equal(a, b);
    assert.equal(index.size, 1);
    assert.equal(index.key(a), '{__name__="up",job="api"}');
    assert.equal(index.get({ __name__: 'up', job: 'api' }), a);
    assert.equal(index.get({ __name__: 'up' }), undefined);
  });

  test('keys escape values and quote unusual names, and parse back', () => {
    const labels = { 'a.b': 'x"y', b: 'line\nnext\\', c: '{},=', d: 'ünï €' };
    const key = seriesKey(labels);
    assert.equal(key, '{"a.b"="x\\"y",b="line\\nnext\\\\",c="{},=",d="ünï €"}');
    assert.deepEqual(
      parseSeriesKey(key),
      Object.entries(labels).map(([name, value]) => ({ name, value })),
    );
    assert.deepEqual(parseSeriesKey('{}'), []);
  });

  test('empty and repeated label names are refused', () => {
    const index = new SeriesIndex();
    assert.throws(() => index.add({ '': 'x' }), isCode('VIGIL_TSDB_BAD_LABELS'));
    assert.throws(
      () =>
        index.add([
          { name: 'a', value: '1' },
          { name: 'a', value: '2' },
        ]),
      isCode('VIGIL_TSDB_BAD_LABELS'),
    );
    assert.equal(index.size, 0);
  });
});

describe('select', () => {
  const { index, id } = fixture();
  const names = (ids: number[]) =>
    ids.map((i) => Object.keys(id).find((k) => id[k] === i)).sort((a, b) => (a! < b! ? -1 : 1));

  test('= selects the series with that value', () => {
    assert.deepEqual(names(index.select([m('__name__', '=', 'up')])), ['upA', 'upB', 'upDb']);
    assert.deepEqual(names(index.select([m('__name__', '=', 'up'), m('job', '=', 'api')])), ['upA', 'upB']);
    assert.deepEqual(index.select([m('__name__', '=', 'nope')]), []);
    assert.deepEqual(index.select([m('nolabel', '=', 'x')]), []);
  });

  test('!= excludes a value and keeps series without the label', () => {
    assert.deepEqual(names(index.select([m('job', '=', 'api'), m('env', '!=', 'prod')])), ['reqPost', 'upA', 'upB']);
    assert.deepEqual(names(index.select([m('job', '=', 'api'), m('nolabel', '!=', 'x')])), [
      'reqGet',
      'reqPost',
      'upA',
      'upB',
    ]);
  });

  test('=~ is fully anchored: foo=~"bar" does not match "barx"', () => {
    assert.deepEqual(names(index.select([m('foo', '=~', 'bar')])), ['bar']);
    assert.deepEqual(names(index.select([m('foo', '=~', 'ba')])), []);
    assert.deepEqual(names(index.select([m('foo', '=~', 'bar.*')])), ['bar', 'barx']);
    assert.deepEqual(names(index.select([m('foo', '=~', 'b.r|x')])), ['bar']);
    assert.deepEqual(names(index.select([m('instance', '=~', '[ab]:.*')])), ['upA', 'upB']);
    assert.deepEqual(names(index.select([m('method', '=~', 'GET|PUT')])), ['reqGet']);
    assert.deepEqual(names(index.select([m('method', '=~', '(?i)get')])), ['reqGet']);
  });

  test('!~ excludes matching values and keeps series without the label', () => {
    assert.deepEqual(names(index.select([m('__name__', '=', 'bar'), m('foo', '!~', 'bar')])), ['barx']);
    assert.deepEqual(names(index.select([m('job', '=', 'api'), m('method', '!~', 'G.*')])), ['reqPost', 'upA', 'upB']);
  });

  test('foo="" selects series without foo; foo!="" those with it', () => {
    assert.deepEqual(names(index.select([m('__name__', '=', 'up'), m('env', '=', '')])), ['upA', 'upB']);
    assert.deepEqual(names(index.select([m('env', '!=', '')])), ['reqGet', 'upDb']);
    // env="" on reqPost was dropped at insert, so reqPost has no env.
    assert.deepEqual(names(index.select([m('job', '=', 'api'), m('env', '=', '')])), ['reqPost', 'upA', 'upB']);
    assert.deepEqual(names(index.select([m('job', '=', 'api'), m('env', '=~', '|prod')])), [
      'reqGet',
      'reqPost',
      'upA',
      'upB',
    ]);
    assert.deepEqual(names(index.select([m('env', '=~', '.+')])), ['reqGet', 'upDb']);
    assert.deepEqual(names(index.select([m('env', '!~', '')])), ['reqGet', 'upDb']);
    assert.deepEqual(names(index.select([m('job', '=', 'db'), m('env', '=~', '.*')])), ['upDb']);
    assert.deepEqual(names(index.select([m('job', '=', 'db'), m('env', '!~', '.+')])), []);
  });

  test('at least one matcher must not match the empty string', () => {
    for (const matchers of [
      [],
      [m('env', '=', '')],
      [m('job', '=~', '.*')],
      [m('job', '!=', 'api')],
      [m('job', '!~', 'api'), m('env', '=~', 'prod|')],
    ]) {
      assert.throws(() => index.select(matchers), isCode('VIGIL_BAD_MATCHER'), JSON.stringify(matchers));
    }
  });

  test('regexes JavaScript cannot run as RE2 would are errors, not silent mismatches', () => {
    for (const re of ['(a)\\1', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', 'a\\k<x>', '(?U)a+', '(', '[a']) {
      assert.throws(() => index.select([m('job', '=~', re)]), isCode('VIGIL_BAD_MATCHER'), re);
      assert.throws(() => compileMatcher(m('job', '!~', re)), isCode('VIGIL_BAD_MATCHER'), re);
    }
    assert.throws(() => compileMatcher(m('job', '==' as MatchType, 'x')), isCode('VIGIL_BAD_MATCHER'));
  });

  test('the result is a fresh array the caller may change', () => {
    const a = index.select([m('__name__', '=', 'up')]);
    a.push(999);
    assert.equal(index.select([m('__name__', '=', 'up')]).length, 3);
  });
});

describe('label names and values', () => {
  const { index } = fixture();

  test('label names, optionally under matchers', () => {
    assert.deepEqual(index.labelNames(), ['__name__', 'env', 'foo', 'instance', 'job', 'method']);
    assert.deepEqual(index.labelNames([m('__name__', '=', 'up')]), ['__name__', 'env', 'instance', 'job']);
  });

  test('label values, optionally under matchers', () => {
    assert.deepEqual(index.labelValues('__name__'), ['bar', 'http_requests_total', 'up']);
    assert.deepEqual(index.labelValues('instance', [m('job', '=', 'api')]), ['a:9100', 'b:9100']);
    assert.deepEqual(index.labelValues('env', [m('job', '=', 'api')]), ['prod']);
    assert.deepEqual(index.labelValues('nolabel'), []);
  });
});

describe('delete', () => {
  test('deleted series leave every list, and their ids are not reused', () => {
    const { index, id } = fixture();
    assert.equal(index.delete([id.upDb!, id.reqGet!, id.upDb!, 12345]), 2);
    assert.equal(index.size, 5);
    assert.equal(index.labels(id.upDb!), undefined);
    assert.equal(index.get({ __name__: 'up', job: 'db', instance: 'c:9100', env: 'prod' }), undefined);
    assert.deepEqual(index.select([m('__name__', '=', 'up')]), [id.upA, id.upB]);
    assert.deepEqual(index.labelValues('env'), []);
    assert.ok(!index.labelNames().includes('env'));
    assert.deepEqual(index.select([m('env', '!=', '')]), []);
    const again = index.add({ __name__: 'up', job: 'db', instance: 'c:9100', env: 'prod' });
    assert.ok(again > id.barx!);
    assert.deepEqual(index.select([m('job', '=', 'db')]), [again]);
  });
});

describe('select agrees with a direct evaluation of the matchers', () => {
  test('random label sets and random matchers', () => {
    const rand = seeded(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const names = ['a', 'b', 'c', 'd'];
    const values = ['', 'x', 'y', 'xy', 'yx', 'z1', 'z22'];
    const index = new SeriesIndex();
    for (let i = 0; i < 400; i++) {
      const labels: Record<string, string> = {};
      for (const n of names) if (rand() < 0.7) labels[n] = pick(values);
      index.add(labels);
    }
    // A few deletions so holes in the id space are covered too.
    index.delete([3, 17, 200, 201]);
    const patterns = ['x', 'x|y', 'x.*', '.*', '.+', '', 'z\\d+', '[xy]+', '|x', 'y?x?', '(?i)X'];
    const types: MatchType[] = ['=', '!=', '=~', '!~'];
    let checked = 0;
    for (let round = 0; round < 2000; round++) {
      const matchers = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const type = pick(types);
        return m(pick(names), type, type.length === 2 && type[1] === '~' ? pick(patterns) : pick(values));
      });
      const compiled = matchers.map(compileMatcher);
      if (compiled.every((c) => c.matchesEmpty)) continue;
      const expected: number[] = [];
      for (let idx = 0; idx < 400; idx++) {
        const labels = index.labels(idx);
        if (labels && compiled.every((c) => c.matches(labelValue(labels, c.name)))) expected.push(idx);
      }
      assert.deepEqual(index.select(matchers), expected, JSON.stringify(matchers));
      checked++;
    }
    assert.ok(checked > 1000);
  });
});
