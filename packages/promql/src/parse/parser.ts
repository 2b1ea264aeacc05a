// Turns PromQL text into the typed syntax tree: lezer-promql gives the concrete tree, this walks it, reads literals,
// applies offset/@ to selectors and checks types as Prometheus's parser does.
import { parser } from '@prometheus-io/lezer-promql';
import { parseError } from '../errors.js';
import type { Expr } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { TreeReader } from './operators.js';

/** Parser options. */
export interface ParseOptions {
  /** Allow functions Prometheus marks experimental (mad_over_time, sort_by_label, ...). Default true. */
  experimentalFunctions?: boolean;
}

/** Parses a PromQL expression; throws PromqlError (VIGIL_PROMQL_PARSE, VIGIL_PROMQL_BAD_REGEX) with a position. */
export function parseExpr(text: string, options: ParseOptions = {}): Expr {
  const tree = parser.parse(trailingDots(text));
  let bad: { from: number; to: number } | undefined;
  tree.iterate({
    enter(n) {
      if (bad) return false;
      if (n.type.isError) bad = { from: n.from, to: n.to };
      return undefined;
    },
  });
  if (bad) {
    const rest = text.slice(bad.from).trimStart();
    const at = text.length - rest.length;
    const fn = /([A-Za-z_][\w]*)\s*$/.exec(text.slice(0, at));
    const what =
      rest === ''
        ? 'unexpected end of input'
        : rest.startsWith('(') && fn && !FUNCTIONS.has(fn[1]!)
          ? `unknown function with name "${fn[1]}"`
          : `unexpected ${describeToken(rest)}`;
    throw parseError(text, at, Math.max(at + 1, bad.to), what);
  }
  const top = tree.topNode.firstChild;
  if (!top) throw parseError(text, 0, 0, 'no expression found in input');
  return new TreeReader(text, options.experimentalFunctions ?? true).expr(top);
}

/**
 * lezer-promql does not read a number with a trailing dot (`2.`), which PromQL allows. The dot becomes a space
 * (outside strings), so offsets in error messages stay right.
 */
function trailingDots(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|(^|[^\w.:])(\d+)\.(?![\w.])/g, (m, pre, digits) =>
    digits === undefined ? m : `${pre}${digits} `,
  );
}

function describeToken(rest: string): string {
  const word = /^[A-Za-z_:][\w:]*|^\d[\w.]*|^"[^"]*"?|^\S/.exec(rest)?.[0] ?? rest[0];
  return `"${word}"`;
}
