// The base of the tree reader: reading text, literals, durations and types off lezer's nodes.
import type { parser } from '@prometheus-io/lezer-promql';
import { parseError } from '../errors.js';
import type { Expr, ValueType } from './ast.js';
import { typeOf } from './ast.js';
import { parseDurationMs, parseNumber, unquote } from './literals.js';

/** A node of lezer's concrete syntax tree. */
export type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** How PromQL names the value types in messages. */
export const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'scalar',
  vector: 'instant vector',
  matrix: 'range vector',
  string: 'string',
};

/** The children of a node. */
export function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Reads one expression text; subclasses add selectors and operators. */
export abstract class ReaderBase {
  constructor(
    protected readonly text: string,
    protected readonly experimental: boolean,
  ) {}

  /** The typed expression of a node. */
  abstract expr(n: SyntaxNode): Expr;

  protected src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  protected fail(n: { from: number; to: number }, what: string): never {
    throw parseError(this.text, n.from, n.to, what);
  }

  protected string(n: SyntaxNode): string {
    try {
      return unquote(this.src(n));
    } catch (e) {
      this.fail(n, (e as Error).message);
    }
  }

  protected labelName(n: SyntaxNode): string {
    return n.name === 'QuotedLabelName' ? this.string(n.firstChild!) : this.src(n);
  }

  protected duration(n: SyntaxNode): number {
    // DurationExpr > NumberDurationLiteralInDurationContext, or OffsetDurationExpr with an optional sign.
    const ks = kids(n);
    if (n.name === 'NumberDurationLiteralInDurationContext') return this.durationLiteral(n);
    if (ks.length === 1) return this.duration(ks[0]!);
    if (ks.length === 2 && ks[0]!.name === 'UnaryOp') {
      const d = this.duration(ks[1]!);
      return this.src(ks[0]!) === '-' ? -d : d;
    }
    this.fail(n, 'duration expressions are not supported');
  }

  protected durationLiteral(n: SyntaxNode): number {
    const t = this.src(n);
    const ms = parseDurationMs(t.replace(/^[+-]/, ''));
    if (ms !== undefined) return t.startsWith('-') ? -ms : ms;
    const secs = parseNumber(t);
    if (!Number.isFinite(secs)) this.fail(n, `invalid duration "${t}"`);
    return Math.round(secs * 1000);
  }

  protected expectType(e: Expr, want: ValueType, context: string): void {
    const got = typeOf(e);
    if (got !== want) {
      this.fail(
        { from: e.start, to: e.end },
        `expected type ${TYPE_NAMES[want]} in ${context}, got ${TYPE_NAMES[got]}`,
      );
    }
  }
}
