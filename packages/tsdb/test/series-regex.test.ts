import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TsdbError } from '../src/errors.js';
import { compileMatcher } from '../src/series/matcher.js';
import { translateRe2 } from '../src/series/re2.js';

function matches(re: string, value: string): boolean {
  return compileMatcher({ type: '=~', name: 'l', value: re }).matches(value);
}

function isBadMatcher(err: unknown): boolean {
  return err instanceof TsdbError && (err.code as string) === 'VIGIL_BAD_MATCHER';
}

describe('RE2 regexes in matchers', () => {
  test('matching is anchored at both ends', () => {
    assert.equal(matches('bar', 'barx'), false);
    assert.equal(matches('bar', 'xbar'), false);
    assert.equal(matches('bar', 'bar'), true);
    assert.equal(matches('a|b', 'ab'), false);
    assert.equal(matches('a|ab', 'ab'), true);
    assert.equal(matches('foo$|bar', 'bar'), true);
  });

  test('`.` matches a newline, as in Prometheus 3', () => {
    assert.equal(matches('a.b', 'a\nb'), true);
    assert.equal(matches('.*', 'x\r\ny'), true);
  });

  test('leading flags become JavaScript flags', () => {
    assert.equal(matches('(?i)get', 'GeT'), true);
    assert.equal(matches('(?is)a.b', 'A\nB'), true);
    assert.equal(matches('(?m)a$', 'a\nb'), false, '(?m) does not loosen the full-value anchoring');
    assert.equal(matches('(?m)a$\\nb', 'a\nb'), true);
  });

  test('RE2-only syntax is rewritten to what RE2 means', () => {
    const cases: [string, string, boolean][] = [
      ['\\Q.*+\\E', '.*+', true],
      ['\\Q.*+\\E', 'aaa', false],
      ['\\Qa.b', 'a.b', true],
      ['\\x{41}\\x42', 'AB', true],
      ['\\101', 'A', true],
      ['\\0', '\0', true],
      ['\\pL+', 'héllo', true],
      ['\\PL+', '123', true],
      ['\\p{Greek}+', 'αβγ', true],
      ['\\p{Greek}+', 'abc', false],
      ['\\p{^Greek}', 'a', true],
      ['[[:digit:]]+', '123', true],
      ['[[:alpha:]_]+', 'ab_c', true],
      ['[^[:space:]]+', 'a b', false],
      ['[]a]+', ']a]', true],
      ['[^]a]', 'b', true],
      ['(?P<x>a)b', 'ab', true],
      ['a{', 'a{', true],
      ['a{2}', 'aa', true],
      ['a{2,}', 'aaa', true],
      ['a{,2}', 'a{,2}', true],
      ['x\\-y', 'x-y', true],
      ['x\\.y', 'xzy', false],
      ['[\\-a]+', '-a', true],
      ['\\Aab\\z', 'ab', true],
      ['a\\a', 'a\x07', true],
      ['\\d+\\s\\w', '12 x', true],
      ['😀.', '😀x', true],
      ['.', '😀', true],
    ];
    for (const [re, value, want] of cases) assert.equal(matches(re, value), want, `${re} on ${JSON.stringify(value)}`);
  });

  test('syntax RE2 does not run is an error that names the problem', () => {
    const cases: [string, RegExp][] = [
      ['(a)\\1', /backreference/],
      ['a\\9', /backreference/],
      ['a(?=b)', /lookaround/],
      ['a(?<!b)', /lookaround/],
      ['(?U)a*', /\(\?U\)/],
      ['a(?i)b', /inline flags/],
      ['(?i:a)b', /inline flags/],
      ['\\k<n>', /not RE2/],
      ['\\C', /not RE2/],
      ['[[:nope:]]', /POSIX/],
      ['a\\', /trailing backslash/],
      ['(a', /invalid regex/],
      ['a**', /invalid regex/],
      ['\\p{Nope}', /invalid regex/],
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
    assert.deepEqual(translateRe2('a.b'), { source: 'a.b', flags: 'su' });
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
