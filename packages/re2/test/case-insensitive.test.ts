import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileRe2 } from '../src/index.js';

function check(cases: [string, string, boolean][]): void {
  for (const [re, value, want] of cases) {
    assert.equal(compileRe2(re).test(value), want, `${re} on ${JSON.stringify(value)}`);
  }
}

describe('(?i) anywhere in a pattern, spelled out where JavaScript has no inline flag', () => {
  test('case-insensitive groups and flags after the start', () => {
    check([
      ['.*(?i:tion)', 'ACTION', true],
      ['.*(?i:tion)', 'acTiOn', true],
      ['.*(?i:tion)ed', 'actionED', false],
      ['a(?i)b', 'aB', true],
      ['a(?i)b', 'AB', false],
      ['(?i:a)b', 'AB', false],
      ['(?i:a)b', 'Ab', true],
      ['a(?i)b|c', 'C', true],
      ['(a(?i)b)c', 'aBC', false],
      ['(?i)a(?-i)b', 'Ab', true],
      ['(?i)a(?-i)b', 'AB', false],
      ['(?i)a(?-i:b)c', 'AbC', true],
      ['(?i)a(?-i:b)c', 'ABC', false],
      ['x(?i)\\Qa.b\\E', 'xA.B', true],
      ['x(?i)\\x41', 'xa', true],
    ]);
  });

  test('classes fold as RE2 folds them, negated ones after folding', () => {
    check([
      ['(?i)[a-c]', 'B', true],
      ['x(?i)[a-c]', 'xB', true],
      ['x(?i)[^a-c]', 'xB', false],
      ['x(?i)[^a-c]', 'xd', true],
      ['x(?i:[[:upper:]])', 'xa', true],
      ['x(?i:[[:^upper:]])', 'xa', false],
      ['x(?i:\\p{Lu})', 'xa', true],
      ['x(?i:\\P{Lu})', 'xa', false],
      ['x(?i:\\P{Lu})', 'x1', true],
      ['x(?i:\\d)', 'x1', true],
      ['x(?i)[\\d]', 'x1', true],
    ]);
  });

  test('case folding is Unicode simple folding: the Kelvin sign, long s, final sigma', () => {
    check([
      ['(?i)k', '\u212a', true],
      ['x(?i)k', 'x\u212a', true],
      ['x(?i)K', 'x\u212a', true],
      ['x(?i:\\w)', 'x\u017f', true],
      ['x(?i:\\W)', 'x\u017f', false],
      ['x(?i)σ', 'xς', true],
      ['x(?i)σ', 'xΣ', true],
      ['x(?i)é', 'xÉ', true],
      ['x(?i)i', 'x\u0131', false],
      ['x(?i)[α-γ]', 'xΒ', true],
    ]);
  });

  test('a whole-pattern (?i) folds negated sets before negating them, as RE2 does', () => {
    check([
      ['(?i)\\P{Lu}', 'a', false],
      ['(?i)\\P{Lu}', 'A', false],
      ['(?i)\\P{Lu}', '1', true],
      ['(?i)[[:^alpha:]]', 's', false],
      ['(?i)\\W', '\u017f', false],
      ['(?i)\\W', '-', true],
      ['(?i)[^a-c]', 'B', false],
      ['(?i)[^a-c]', 'd', true],
      ['(?i)k\\b', '\u212a', false],
      ['(?i)a\\b\u017f', 'a\u017f', true],
    ]);
  });
});
