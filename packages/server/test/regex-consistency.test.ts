import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine, MemoryQuerier, PromqlError, parseExpr, type QueryResult } from '@vigil/promql';
import { Tsdb, TsdbError } from '@vigil/tsdb';
import { compileRelabelRule, RelabelRuleError } from '../src/discovery/relabel-rule.js';

// PromQL's parser, the TSDB's select and relabeling read regexes through one translation (@vigil/re2): a regex one
// of them accepts, they all accept and match alike. (Here, where the packages meet: promql does not depend on tsdb.)
const VALUES = ['ACTION', 'station', 'aB', 'AB', 'production', 'Abc', 'αβ', 'abc', 'a\nb', 'xB', 'a.b', 'api', 'web'];
const ACCEPTED = [
  '.*(?i:tion)',
  'a(?i)b',
  '(?i)PROD.*',
  '\\x{41}.*',
  '\\p{Greek}+',
  '[[:alpha:]]+',
  'a.b',
  '(?-s:a.b)',
  'x(?i)[a-c]',
  '\\Qa.b\\E',
  'api|web',
];
const REFUSED = ['(a)\\1', 'a(?=b)', '(?U)a', '\\C', '\\k<n>', '(a'];
const T = 60_000;

function load(add: (labels: Record<string, string>) => void): void {
  for (const a of VALUES) add({ __name__: 'foo', a });
}

function matched(result: QueryResult): string[] {
  assert.equal(result.resultType, 'vector');
  return (result.result as { metric: Record<string, string> }[]).map((s) => s.metric.a!).sort();
}

describe('one RE2 translation for PromQL, the TSDB and relabeling', () => {
  const tsdb = Tsdb.open({ flushIntervalMs: 0, retentionIntervalMs: 0, now: () => T });
  const memory = new MemoryQuerier();
  load((labels) => tsdb.append(tsdb.series(labels), T, 1));
  load((labels) => memory.add(labels, T, 1));
  const engine = new Engine();

  test('foo{a=~".*(?i:tion)"} runs against the TSDB as in Prometheus', () => {
    assert.deepEqual(matched(engine.instantQuery(tsdb, 'foo{a=~".*(?i:tion)"}', T)), [
      'ACTION',
      'production',
      'station',
    ]);
  });

  test('a regex PromQL parses selects the same series from the TSDB and from memory, and relabels alike', () => {
    for (const re of ACCEPTED) {
      const expr = `foo{a=~${JSON.stringify(re)}}`;
      parseExpr(expr);
      const fromTsdb = matched(engine.instantQuery(tsdb, expr, T));
      assert.deepEqual(fromTsdb, matched(engine.instantQuery(memory, expr, T)), re);
      const rule = compileRelabelRule({ action: 'keep', sourceLabels: ['a'], regex: re });
      assert.deepEqual(fromTsdb, VALUES.filter((a) => rule.regex.test(a)).sort(), re);
    }
  });

  test('a regex one of them refuses, all refuse with their own error', () => {
    for (const re of REFUSED) {
      const expr = `foo{a=~${JSON.stringify(re)}}`;
      assert.throws(
        () => parseExpr(expr),
        (e: unknown) => e instanceof PromqlError && e.code === 'VIGIL_PROMQL_BAD_REGEX',
        re,
      );
      assert.throws(
        () => [...tsdb.select([{ type: '=~', name: 'a', value: re }], 0, T)],
        (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_BAD_MATCHER',
        re,
      );
      assert.throws(() => compileRelabelRule({ regex: re, targetLabel: 'x' }), RelabelRuleError, re);
    }
  });
});
