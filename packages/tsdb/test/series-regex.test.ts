// The RE2 translation itself is @vigil/re2's (tested there); these are about how matchers use it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TsdbError } from '../src/errors.js';
import { compileMatcher } from '../src/series/matcher.js';

function matches(re: string, value: string): boolean {
  return compileMatcher({ type: '=~', name: 'l', value: re }).matches(value);
}

function isBadMatcher(err: unknown): boolean {
  return err instanceof TsdbError && (err.code as string) === 'VIGIL_BAD_MATCHER';
}

describe('RE2 regexes in matchers', () => {
  test('regexes are RE2, fully anchored, `.` matching a newline', () => {
    assert.equal(matches('bar', 'barx'), false);
    assert.equal(matches('a|ab', 'ab'), true);
    assert.equal(matches('a.b', 'a\nb'), true);
    assert.equal(matches('[[:digit:]]+', '123'), true);
  });

  test('case-insensitive groups and flags after the start match as in Prometheus', () => {
    assert.equal(matches('.*(?i:tion)', 'ACTION'), true);
    assert.equal(matches('a(?i)b', 'aB'), true);
    assert.equal(matches('a(?i)b', 'AB'), false);
    assert.equal(matches('(?i)[a-c]', 'B'), true);
  });

  test('a regex RE2 would not run is a VIGIL_BAD_MATCHER error that names it, where and why', () => {
    const cases: [string, RegExp][] = [
      ['(a)\\1', /at offset 3: backreference/],
      ['a(?=b)', /lookaround/],
      ['(?U)a*', /\(\?U\)/],
      ['\\C', /\\C/],
      ['[[:nope:]]', /POSIX/],
      ['(a', /invalid regex "\(a": .*Unterminated group/],
      ['a**', /invalid regex/],
    ];
    for (const [re, message] of cases) {
      assert.throws(
        () => compileMatcher({ type: '!~', name: 'l', value: re }),
        (err: unknown) =>
          isBadMatcher(err) && message.test((err as Error).message) && (err as Error).message.includes(re),
        re,
      );
    }
  });

  test('a matcher without a label name or a string value is refused', () => {
    for (const bad of [
      { type: '=', name: '', value: 'x' },
      { type: '=', name: 'l', value: undefined },
      { type: '=~', name: 'l', value: 3 },
    ]) {
      assert.throws(() => compileMatcher(bad as never), isBadMatcher, JSON.stringify(bad));
    }
  });

  test('plain literals and alternations of literals need no regex', () => {
    assert.deepEqual(compileMatcher({ type: '=~', name: 'l', value: 'GET|PUT|GET' }).literals, ['GET', 'PUT']);
    assert.equal(compileMatcher({ type: '=~', name: 'l', value: 'G.T' }).literals, undefined);
    assert.equal(matches('GET|PUT', 'PUT'), true);
    assert.equal(matches('GET|PUT', 'GETPUT'), false);
  });

  test('matchesEmpty tells whether a series without the label matches', () => {
    const empty = (type: '=' | '!=' | '=~' | '!~', value: string) =>
      compileMatcher({ type, name: 'l', value }).matchesEmpty;
    assert.equal(empty('=', ''), true);
    assert.equal(empty('=', 'x'), false);
    assert.equal(empty('!=', ''), false);
    assert.equal(empty('!=', 'x'), true);
    assert.equal(empty('=~', '.*'), true);
    assert.equal(empty('=~', '.+'), false);
    assert.equal(empty('=~', 'x|'), true);
    assert.equal(empty('!~', '.+'), true);
    assert.equal(empty('!~', 'x?'), false);
  });
});
