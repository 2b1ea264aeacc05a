import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileRe2, Re2Error, translateRe2 } from '../src/index.js';

function refusal(re: string): Re2Error {
  try {
    compileRe2(re);
  } catch (err) {
    assert.ok(err instanceof Re2Error, `${re}: ${err}`);
    return err;
  }
  assert.fail(`${re} compiled`);
}

describe('patterns RE2 refuses, or JavaScript would run differently, are errors', () => {
  test('RE2 refuses them too: VIGIL_RE2_INVALID with the offset and the problem', () => {
    const cases: [string, number, RegExp][] = [
      ['(a)\\1', 3, /backreference \\1 is not RE2 syntax/],
      ['a\\9', 1, /backreference/],
      ['a(?=b)', 1, /lookaround/],
      ['a(?!b)', 1, /lookaround/],
      ['(?<=a)b', 0, /lookaround/],
      ['a(?<!b)', 1, /lookaround/],
      ['\\k<n>', 0, /escape \\k is not RE2 syntax/],
      ['\\é', 0, /escape \\é is not RE2 syntax/],
      ['a\\€', 1, /escape \\€ is not RE2 syntax/],
      ['(?P=n)', 0, /named group/],
      ['[[:nope:]]', 1, /POSIX/],
      ['a\\', 1, /trailing backslash/],
      ['[a', 0, /missing closing \]/],
      ['a)', 1, /unexpected \)/],
      ['a{1001}', 1, /repeat count/],
      ['\\p{Nope}', 0, /unknown Unicode class/],
      ['\\x{110000}', 0, /invalid escape/],
      ['\\xZ1', 0, /invalid escape/],
      ['(?x)a', 0, /unknown flag x/],
      ['(?i-)a', 0, /missing flags/],
      ['[\\b]', 1, /inside a character class/],
    ];
    for (const [re, offset, reason] of cases) {
      const err = refusal(re);
      assert.equal(err.code, 'VIGIL_RE2_INVALID', re);
      assert.equal(err.offset, offset, re);
      assert.match(err.reason, reason, re);
      assert.equal(err.message, `regex "${re}" at offset ${offset}: ${err.reason}`);
    }
  });

  test('RE2 runs them, JavaScript cannot run them the same way: VIGIL_RE2_UNSUPPORTED', () => {
    for (const [re, reason] of [
      ['(?U)a*', /\(\?U\)/],
      ['a(?iU:b)', /\(\?U\)/],
      ['\\C', /\\C/],
    ] as const) {
      const err = refusal(re);
      assert.equal(err.code, 'VIGIL_RE2_UNSUPPORTED', re);
      assert.match(err.message, reason, re);
      assert.ok(err.message.includes(re), re);
    }
    assert.equal(compileRe2('(?-U)a*').test('aa'), true, 'clearing U, which is never set, is harmless');
  });

  test('what only the JavaScript engine catches keeps its words, without an offset', () => {
    const err = refusal('(a');
    assert.equal(err.code, 'VIGIL_RE2_INVALID');
    assert.equal(err.offset, undefined);
    assert.equal(err.reason, 'Unterminated group');
    assert.equal(err.message, 'invalid regex "(a": Invalid regular expression: /^(?:(a)$/su: Unterminated group');
    assert.equal(refusal('a**').reason, 'Nothing to repeat');
  });

  test('translateRe2 refuses the same syntax without compiling', () => {
    assert.throws(() => translateRe2('(a)\\1'), Re2Error);
    assert.deepEqual(translateRe2('(a'), { source: '(a', flags: 'su' });
  });
});
