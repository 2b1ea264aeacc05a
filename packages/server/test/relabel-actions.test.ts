// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${VAR} are Go template and env syntax under test, not JavaScript
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Label } from '@vigil/tsdb';
import { compileRelabelRule, type RelabelRuleInput, relabel, relabeler } from '../src/discovery/index.js';

const labels = (record: Record<string, string>): Label[] =>
  Object.entries(record).map(([name, value]) => ({ name, value }));
const asRecord = (list: Label[] | undefined) =>
  list === undefined ? undefined : Object.fromEntries(list.map((l) => [l.name, l.value]));
const run = (input: Record<string, string>, ...rules: RelabelRuleInput[]) =>
  asRecord(relabel(labels(input), rules.map(compileRelabelRule)));

describe('relabel: replace', () => {
  test('the default rule copies a source label into the target ($1 of (.*))', () => {
    assert.deepEqual(run({ a: 'foo' }, { sourceLabels: ['a'], targetLabel: 'b' }), { a: 'foo', b: 'foo' });
  });

  test('regex groups expand in the replacement ($1, ${1})', () => {
    assert.deepEqual(
      run({ a: 'foo' }, { sourceLabels: ['a'], regex: 'f(.*)', targetLabel: 'd', replacement: 'ch${1}-ch$1' }),
      {
        a: 'foo',
        d: 'choo-choo',
      },
    );
  });

  test('source labels join with the separator (";" by default; a missing label reads as "")', () => {
    const rule = {
      sourceLabels: ['a', 'b', 'missing'],
      regex: 'f(.*);(.*)r;',
      targetLabel: 'a',
      replacement: 'b${1}${2}m',
    };
    assert.deepEqual(run({ a: 'foo', b: 'bar' }, rule), { a: 'boobam', b: 'bar' });
    assert.deepEqual(run({ a: 'x', b: 'y' }, { sourceLabels: ['a', 'b'], separator: '-', targetLabel: 'c' }), {
      a: 'x',
      b: 'y',
      c: 'x-y',
    });
  });

  test('rules apply in order, each seeing the previous result', () => {
    assert.deepEqual(
      run(
        { a: 'foo' },
        { sourceLabels: ['a'], regex: 'f(.*)', targetLabel: 'b', replacement: 'x$1' },
        { sourceLabels: ['b'], regex: 'x(.*)', targetLabel: 'c', replacement: '${1}y' },
      ),
      { a: 'foo', b: 'xoo', c: 'ooy' },
    );
  });

  test('no match leaves the labels as they are; the regex is fully anchored', () => {
    assert.deepEqual(run({ a: 'foo' }, { sourceLabels: ['a'], regex: 'oo', targetLabel: 'b', replacement: 'hit' }), {
      a: 'foo',
    });
  });

  test('an empty result removes the target label', () => {
    assert.deepEqual(run({ a: 'foo', b: 'bar' }, { sourceLabels: ['c'], targetLabel: 'b' }), { a: 'foo' });
  });

  test("named groups and Go's $name rules: longest name, unknown group empty, $$ a literal $", () => {
    const address = { sourceLabels: ['__address__'], regex: '(?P<host>[^:]+):(?P<port>\\d+)', targetLabel: 'x' };
    assert.equal(run({ __address__: 'web-1:8080' }, { ...address, replacement: '$host/${port}' })?.x, 'web-1/8080');
    assert.equal(run({ __address__: 'web-1:8080' }, { ...address, replacement: '${host}x' })?.x, 'web-1x');
    assert.equal(run({ __address__: 'web-1:8080' }, { ...address, replacement: '$hostx|$1x|${1}x' })?.x, '||web-1x');
    assert.equal(run({ __address__: 'web-1:8080' }, { ...address, replacement: '$$1 ${' })?.x, '$1 ${');
  });

  test('the target label itself may hold group references', () => {
    assert.deepEqual(
      run(
        { __meta_kind: 'team=search' },
        { sourceLabels: ['__meta_kind'], regex: '(\\w+)=(\\w+)', targetLabel: 'k_$1', replacement: '$2' },
      ),
      { __meta_kind: 'team=search', k_team: 'search' },
    );
  });

  test('a target label that expands to an invalid name is skipped', () => {
    assert.deepEqual(run({ a: '1x' }, { sourceLabels: ['a'], regex: '(.*)', targetLabel: '${1}', replacement: 'v' }), {
      a: '1x',
    });
  });

  test('. matches a newline, as in Prometheus 3', () => {
    assert.equal(
      run({ a: 'line1\nline2' }, { sourceLabels: ['a'], regex: 'line1.(.*)', targetLabel: 'b' })?.b,
      'line2',
    );
  });
});

describe('relabel: keep, drop, keepequal, dropequal', () => {
  test('keep drops the set unless the joined value matches; drop the reverse', () => {
    assert.equal(run({ job: 'api' }, { action: 'keep', sourceLabels: ['job'], regex: 'api|web' })?.job, 'api');
    assert.equal(run({ job: 'db' }, { action: 'keep', sourceLabels: ['job'], regex: 'api|web' }), undefined);
    assert.equal(run({ job: 'api' }, { action: 'drop', sourceLabels: ['job'], regex: 'api' }), undefined);
    assert.equal(
      run({ job: 'db' }, { action: 'DROP', sourceLabels: ['job'], regex: 'api' })?.job,
      'db',
      'actions are case-insensitive',
    );
  });

  test('keep with the default regex keeps everything, a missing label included', () => {
    assert.deepEqual(run({ a: '1' }, { action: 'keep', sourceLabels: ['nope'] }), { a: '1' });
  });

  test('keepequal and dropequal compare the joined value with the target label', () => {
    const same = { __port: '80', port: '80' };
    assert.deepEqual(run(same, { action: 'keepequal', sourceLabels: ['__port'], targetLabel: 'port' }), same);
    assert.equal(
      run({ __port: '80', port: '81' }, { action: 'keepequal', sourceLabels: ['__port'], targetLabel: 'port' }),
      undefined,
    );
    assert.equal(run(same, { action: 'dropequal', sourceLabels: ['__port'], targetLabel: 'port' }), undefined);
  });
});

describe('relabel: label names (labelmap, labeldrop, labelkeep)', () => {
  test('labelmap copies matching labels under the expanded name', () => {
    assert.deepEqual(
      run({ __meta_team: 'search', __meta_env: 'prod', job: 'x' }, { action: 'labelmap', regex: '__meta_(.+)' }),
      {
        __meta_team: 'search',
        __meta_env: 'prod',
        job: 'x',
        team: 'search',
        env: 'prod',
      },
    );
    assert.deepEqual(run({ a_b: '1' }, { action: 'labelmap', regex: '(a)_(b)', replacement: '${2}_$1' }), {
      a_b: '1',
      b_a: '1',
    });
  });

  test('labeldrop removes and labelkeep keeps the labels whose name matches', () => {
    assert.deepEqual(run({ a: '1', tmp_x: '2', tmp_y: '3' }, { action: 'labeldrop', regex: 'tmp_.*' }), { a: '1' });
    assert.deepEqual(run({ a: '1', tmp_x: '2', b: '3' }, { action: 'labelkeep', regex: 'a|b' }), { a: '1', b: '3' });
  });
});

describe('relabel: hashmod, lowercase, uppercase', () => {
  test("hashmod picks the same shard as Prometheus (MD5's low 8 bytes, big-endian, modulo)", () => {
    // The case of Prometheus's own relabel tests: "baz" mod 1000 is 976.
    assert.equal(
      run({ c: 'baz' }, { action: 'hashmod', sourceLabels: ['c'], modulus: 1000, targetLabel: 'd' })?.d,
      '976',
    );
  });

  test('lowercase and uppercase write the joined value to the target', () => {
    assert.equal(run({ a: 'MiXeD' }, { action: 'lowercase', sourceLabels: ['a'], targetLabel: 'l' })?.l, 'mixed');
    assert.equal(
      run({ a: 'MiXeD', b: 'x' }, { action: 'uppercase', sourceLabels: ['a', 'b'], targetLabel: 'u' })?.u,
      'MIXED;X',
    );
  });
});

describe('relabel: output', () => {
  test('labels come out sorted by name, and the input is not modified', () => {
    const input = labels({ z: '1', a: '2' });
    const out = relabel(input, [compileRelabelRule({ sourceLabels: ['z'], targetLabel: 'm' })]);
    assert.deepEqual(
      out?.map((l) => l.name),
      ['a', 'm', 'z'],
    );
    assert.deepEqual(input, labels({ z: '1', a: '2' }));
  });
});

describe('relabel: the keep/drop fast path', () => {
  test('rules that only keep or drop give what the general path gives, and return a kept input as it is', () => {
    const sets: Record<string, string>[] = [
      { __name__: 'go_gc_total', job: 'a' },
      { __name__: 'http_requests_total', job: 'a', code: '500' },
      { __name__: 'http_requests_total', job: 'b', code: '200', port: '80', __port: '80' },
    ];
    const filters: RelabelRuleInput[] = [
      { action: 'drop', sourceLabels: ['__name__'], regex: 'go_.*' },
      { action: 'keep', sourceLabels: ['job', 'code'], regex: 'a;.*|b;200' },
      { action: 'dropequal', sourceLabels: ['__port'], targetLabel: 'nope' },
    ];
    const rules = filters.map(compileRelabelRule);
    // A labelkeep of everything changes nothing but forces the general path.
    const general = [...rules, compileRelabelRule({ action: 'labelkeep', regex: '.*' })];
    for (const set of sets) {
      const input = labels(set);
      const fast = relabel(input, rules);
      assert.deepEqual(asRecord(fast), asRecord(relabel(input, general)), JSON.stringify(set));
      if (fast !== undefined) assert.equal(fast, input);
      assert.equal(relabeler(rules)(input), fast);
    }
    const none = labels({ a: '1' });
    assert.equal(relabeler([])(none), none);
  });
});
