// Reading literal arguments of function calls.
import { PromqlError } from '../errors.js';
import type { Expr } from '../parse/ast.js';

/** The value of a string-literal argument (parentheses allowed). */
export function stringArg(e: Expr): string {
  while (e.type === 'paren') e = e.expr;
  if (e.type !== 'string') throw new PromqlError('VIGIL_PROMQL_EVAL', 'expected a string literal');
  return e.value;
}
