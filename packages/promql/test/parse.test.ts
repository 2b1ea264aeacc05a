import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, MemoryQuerier, PromqlError, parseExpr } from '../src/index.js';

function parseFailure(text: string): PromqlError {
  try {
    parseExpr(text);
  } catch (e) {
    assert.ok(e instanceof PromqlError, `${text}: ${e}`);
    return e;
  }
  assert.fail(`${text} parsed`);
}

test('a parse error says what is wrong and where, as line:column and offsets', () => {
  const e = parseFailure('sum(rate(foo[5m])');
  assert.equal(e.code, 'VIGIL_PROMQL_PARSE');
  assert.equal(e.message, '1:18: parse error: unexpected end of input');
  assert.deepEqual(e.position, { start: 17, end: 18, line: 1, column: 18 });
});

test('positions count lines in a multi-line expression', () => {
  const e = parseFailure('sum(\n  foo{job="api"\n)');
  assert.equal(e.position?.line, 3);
  assert.equal(e.position?.column, 1);
  assert.match(e.message, /^3:1: parse error: unexpected "\)"/);
});

test('type errors point at the offending argument', () => {
  const e = parseFailure('rate(foo)');
  assert.equal(
    e.message,
    '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
  );
  assert.equal(e.position?.start, 5);
});

test('unknown functions, scalar comparisons without bool and empty selectors are parse errors', () => {
  assert.match(parseFailure('nofn(foo)').message, /unknown function with name "nofn"/);
  assert.match(parseFailure('1 > 2').message, /comparisons between scalars must use BOOL modifier/);
  assert.match(parseFailure('{a=""}').message, /at least one non-empty matcher/);
  assert.match(
    parseFailure('foo[5m] + 1').message,
    /binary expression must contain only scalar and instant vector types/,
  );
  assert.match(parseFailure('sum(foo) offset 5m').message, /offset modifier must be preceded by/);
  assert.match(parseFailure('foo offset 1m offset 2m').message, /offset may not be set multiple times/);
  assert.match(parseFailure('foo and 1').message, /set operator "and" not allowed in binary scalar expression/);
});

test('a regex that is invalid, or that RE2 would not run, is a VIGIL_PROMQL_BAD_REGEX error at the string', () => {
  const unterminated = parseFailure('foo{a=~"(a"}');
  assert.equal(unterminated.code, 'VIGIL_PROMQL_BAD_REGEX');
  assert.equal(unterminated.position?.column, 8);
  assert.match(unterminated.message, /invalid regular expression "\(a"/);
  const backref = parseFailure('foo{a=~"(a)\\\\1"}');
  assert.equal(backref.code, 'VIGIL_PROMQL_BAD_REGEX');
  assert.match(
    backref.message,
    /^1:8: parse error: invalid regular expression "\(a\)\\1": backreference \\1 is not RE2/,
  );
  const lookahead = parseFailure('foo{a!~"(?=a)b"}');
  assert.equal(lookahead.code, 'VIGIL_PROMQL_BAD_REGEX');
  assert.match(lookahead.message, /lookaround/);
});

test('postfix modifiers bind to the rightmost operand, as in Prometheus', () => {
  const e = parseExpr('a + b offset 5m');
  assert.equal(e.type, 'binary');
  if (e.type !== 'binary') return;
  assert.equal(e.lhs.type === 'vectorSelector' && e.lhs.offsetMs, 0);
  assert.equal(e.rhs.type === 'vectorSelector' && e.rhs.offsetMs, 300_000);
  const m = parseExpr('rate(x[5m] @ 100 offset -1m)');
  assert.equal(m.type, 'call');
  if (m.type !== 'call') return;
  const arg = m.args[0]!;
  assert.equal(arg.type, 'matrixSelector');
  if (arg.type !== 'matrixSelector') return;
  assert.equal(arg.selector.at, 100_000);
  assert.equal(arg.selector.offsetMs, -60_000);
  assert.equal(arg.rangeMs, 300_000);
});

test('unary minus binds looser than ^, and ^ is right-associative', () => {
  const e = parseExpr('-2 ^ 2');
  assert.equal(e.type, 'unary');
  const r = parseExpr('2 ^ 3 ^ 2');
  assert.equal(r.type === 'binary' && r.rhs.type, 'binary');
});

test('RE2 syntax parses, (?i) anywhere included; what RE2 refuses is refused at the string', () => {
  parseExpr('foo{a=~"(?i)prod.*"}');
  parseExpr('foo{a=~".*(?i:tion)"}');
  parseExpr('foo{a=~"[[:alpha:]]+"}');
  parseExpr('foo{a=~"\\\\x{41}\\\\pL\\\\p{Greek}"}');
  for (const re of ['\\\\k<n>', '\\\\C', '\\\\p{Nope}', '(?U)a']) {
    const e = parseFailure(`foo{a=~"${re}"}`);
    assert.equal(e.code, 'VIGIL_PROMQL_BAD_REGEX', re);
    assert.equal(e.position?.column, 8, re);
  }
});

test('label_replace refuses a regex RE2 refuses', () => {
  const e = new Engine();
  assert.throws(
    () => e.instantQuery(new MemoryQuerier(), 'label_replace(vector(1), "a", "$1", "b", "(a)\\\\1")', 0),
    (err: unknown) => err instanceof PromqlError && err.code === 'VIGIL_PROMQL_BAD_REGEX',
  );
});
