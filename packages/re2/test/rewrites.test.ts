import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileRe2, literalAlternatives, translateRe2 } from '../src/index.js';

function matches(re: string, value: string): boolean {
  return compileRe2(re).test(value);
}

describe('RE2 patterns run as Prometheus runs them', () => {
  test('matching is anchored at both ends', () => {
    assert.equal(matches('bar', 'barx'), false);
    assert.equal(matches('bar', 'xbar'), false);
    assert.equal(matches('bar', 'bar'), true);
    assert.equal(matches('a|b', 'ab'), false);
    assert.equal(matches('a|ab', 'ab'), true);
    assert.equal(matches('foo$|bar', 'bar'), true);
  });

  test('`.` matches a newline, as in Prometheus 3, and a whole astral character', () => {
    assert.equal(matches('a.b', 'a\nb'), true);
    assert.equal(matches('.*', 'x\r\ny'), true);
    assert.equal(matches('.', '😀'), true);
    assert.equal(matches('😀.', '😀x'), true);
  });

  test('a pattern case-insensitive throughout gets the i flag; the translation is plain otherwise', () => {
    assert.deepEqual(translateRe2('a.b'), { source: 'a.b', flags: 'su' });
    assert.deepEqual(translateRe2('(?i)get'), { source: 'get', flags: 'isu' });
    assert.equal(matches('(?i)get', 'GeT'), true);
    assert.equal(matches('(?is)a.b', 'A\nB'), true);
  });

  test('compiled regexes are cached and shared', () => {
    assert.equal(compileRe2('x+y'), compileRe2('x+y'));
  });

  test('RE2-only syntax is rewritten to what RE2 means', () => {
    const cases: [string, string, boolean][] = [
      ['\\Q.*+\\E', '.*+', true],
      ['\\Q.*+\\E', 'aaa', false],
      ['\\Qa.b', 'a.b', true],
      ['\\x{41}\\x42', 'AB', true],
      ['\\x{1F600}', '😀', true],
      ['\\101', 'A', true],
      ['\\0', '\0', true],
      ['\\12', '\n', true],
      ['\\pL+', 'héllo', true],
      ['\\PL+', '123', true],
      ['\\p{Greek}+', 'αβγ', true],
      ['\\p{Greek}+', 'abc', false],
      ['\\p{^Greek}', 'a', true],
      ['\\pN', '٣', true],
      ['[\\p{Greek}a]+', 'αa', true],
      ['\\p{Any}', '\n', true],
      ['[[:digit:]]+', '123', true],
      ['[[:alpha:]_]+', 'ab_c', true],
      ['[[:alpha:]]+', 'é', false],
      ['[[:^alpha:]]+', '1-2', true],
      ['[^[:space:]]+', 'a b', false],
      ['[[:space:]]', '\v', true],
      ['[]a]+', ']a]', true],
      ['[^]a]', 'b', true],
      ['[a[]+', 'a[', true],
      ['(?P<x>a)b', 'ab', true],
      ['(?<x>a)b', 'ab', true],
      ['a{', 'a{', true],
      ['a}', 'a}', true],
      ['a]', 'a]', true],
      ['a{2}', 'aa', true],
      ['a{2,}', 'aaa', true],
      ['a{,2}', 'a{,2}', true],
      ['a{1000}', 'a'.repeat(1000), true],
      ['x\\-y', 'x-y', true],
      ['x\\.y', 'xzy', false],
      ['[\\-a]+', '-a', true],
      ['\\Aab\\z', 'ab', true],
      ['a\\a\\f\\t\\v', 'a\x07\f\t\v', true],
      ['\\d+\\s\\w', '12 x', true],
      ['\\d', '٣', false],
      ['\\w', 'é', false],
      ['\\s', '\v', false],
      ['\\s', '\u00a0', false],
      ['[\\s]', '\v', false],
      ['\\S', '\v', true],
      ['[\\S]', '\u00a0', true],
      ['a\\b', 'a', true],
    ];
    for (const [re, value, want] of cases) assert.equal(matches(re, value), want, `${re} on ${JSON.stringify(value)}`);
  });

  test('(?m) breaks lines only at \\n, and never loosens the anchoring of the whole value', () => {
    assert.equal(matches('(?m)a$', 'a\nb'), false);
    assert.equal(matches('(?m)a$\\nb', 'a\nb'), true);
    assert.equal(matches('(?m:a$\\n^b)', 'a\nb'), true);
    assert.equal(matches('(?m:a$)\\n^b', 'a\nb'), false, '^ after the group is the start of the text again');
    assert.equal(matches('(?m)a$\\r\\nb', 'a\r\nb'), false);
    assert.equal(matches('a$\\nb', 'a\nb'), false);
  });

  test('(?-s) makes `.` stop at \\n only', () => {
    assert.equal(matches('(?-s).', '\n'), false);
    assert.equal(matches('(?-s).', '\r'), true);
    assert.equal(matches('(?-s:.)(?s:.)', 'a\n'), true);
  });

  test('plain alternations of literals need no regex', () => {
    assert.deepEqual(literalAlternatives('GET|PUT|GET'), ['GET', 'PUT']);
    assert.deepEqual(literalAlternatives('x|'), ['x', '']);
    assert.equal(literalAlternatives('G.T'), undefined);
    assert.equal(literalAlternatives('(?i)get'), undefined);
  });
});
