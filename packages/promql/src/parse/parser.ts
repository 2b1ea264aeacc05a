// Turns PromQL text into the typed syntax tree: lezer-promql gives the concrete tree, this walks it, reads literals,
// applies offset/@ to selectors and checks types as Prometheus's parser does.
import { parser } from '@prometheus-io/lezer-promql';
import { parseError } from '../errors.js';
import type { Matcher } from '../storage/querier.js';
import type {
  AggregateOp,
  AtModifier,
  BinaryOp,
  Expr,
  MatrixSelector,
  Subquery,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { isComparison, isSetOperator, typeOf } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { parseDurationMs, parseNumber, unquote } from './literals.js';
import { compileAnchored } from './regex.js';

/** Parser options. */
export interface ParseOptions {
  /** Allow functions Prometheus marks experimental (mad_over_time, sort_by_label, ...). Default true. */
  experimentalFunctions?: boolean;
}

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Atan2: 'atan2',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'scalar',
  vector: 'instant vector',
  matrix: 'range vector',
  string: 'string',
};

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

function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

class TreeReader {
  constructor(
    private readonly text: string,
    private readonly experimental: boolean,
  ) {}

  private src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  private fail(n: { from: number; to: number }, what: string): never {
    throw parseError(this.text, n.from, n.to, what);
  }

  expr(n: SyntaxNode): Expr {
    const span = { start: n.from, end: n.to };
    switch (n.name) {
      case 'NumberDurationLiteral':
        return { type: 'number', value: parseNumber(this.src(n)), ...span };
      case 'StringLiteral':
        return { type: 'string', value: this.string(n), ...span };
      case 'ParenExpr': {
        const inner = n.firstChild;
        if (!inner) this.fail(n, 'empty parentheses');
        return { type: 'paren', expr: this.expr(inner), ...span };
      }
      case 'UnaryExpr': {
        const [opNode, inner] = kids(n);
        const e = this.expr(inner!);
        const t = typeOf(e);
        if (t !== 'scalar' && t !== 'vector') {
          this.fail(
            n,
            `unary expression only allowed on expressions of type scalar or instant vector, got "${TYPE_NAMES[t]}"`,
          );
        }
        return { type: 'unary', op: this.src(opNode!) === '-' ? '-' : '+', expr: e, ...span };
      }
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector':
        return this.matrixSelector(n);
      case 'SubqueryExpr':
        return this.subquery(n);
      case 'OffsetExpr':
        return this.offset(n);
      case 'StepInvariantExpr':
        return this.at(n);
      case 'FunctionCall':
        return this.call(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'BinaryExpr':
        return this.binary(n);
      default:
        this.fail(n, `${n.name} is not supported`);
    }
  }

  private string(n: SyntaxNode): string {
    try {
      return unquote(this.src(n));
    } catch (e) {
      this.fail(n, (e as Error).message);
    }
  }

  private labelName(n: SyntaxNode): string {
    return n.name === 'QuotedLabelName' ? this.string(n.firstChild!) : this.src(n);
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: Matcher[] = [];
    for (const c of kids(n)) {
      if (c.name === 'Identifier') name = this.src(c);
      else if (c.name === 'LabelMatchers') {
        for (const m of kids(c)) {
          if (m.name === 'QuotedLabelName') {
            const metric = this.string(m.firstChild!);
            if (name !== undefined) this.fail(m, `metric name must not be set twice: "${name}" or "${metric}"`);
            name = metric;
            continue;
          }
          const [ln, op, value] = kids(m);
          const matcher: Matcher = {
            name: this.labelName(ln!),
            type: this.src(op!) as Matcher['type'],
            value: this.string(value!),
          };
          if (matcher.type === '=~' || matcher.type === '!~') {
            try {
              compileAnchored(matcher.value);
            } catch (e) {
              throw parseError(
                this.text,
                value!.from,
                value!.to,
                `invalid regular expression "${matcher.value}": ${(e as Error).message}`,
                'VIGIL_PROMQL_BAD_REGEX',
              );
            }
          }
          matchers.push(matcher);
        }
      }
    }
    if (name !== undefined) {
      const explicit = matchers.find((m) => m.name === '__name__');
      if (explicit) this.fail(n, `metric name must not be set twice: "${name}" or "${explicit.value}"`);
      matchers.unshift({ type: '=', name: '__name__', value: name });
    }
    if (!matchers.some((m) => !matchesEmpty(m)))
      this.fail(n, 'vector selector must contain at least one non-empty matcher');
    return { type: 'vectorSelector', name, matchers, offsetMs: 0, at: undefined, start: n.from, end: n.to };
  }

  private duration(n: SyntaxNode): number {
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

  private durationLiteral(n: SyntaxNode): number {
    const t = this.src(n);
    const ms = parseDurationMs(t.replace(/^[+-]/, ''));
    if (ms !== undefined) return t.startsWith('-') ? -ms : ms;
    const secs = parseNumber(t);
    if (!Number.isFinite(secs)) this.fail(n, `invalid duration "${t}"`);
    return Math.round(secs * 1000);
  }

  /**
   * lezer binds postfix modifiers (`[5m]`, `[5m:1m]`, `offset`, `@`) looser than binary and unary operators:
   * `a + b offset 5m` comes as `(a + b) offset 5m`. PromQL applies them to the rightmost operand.
   */
  private rightmost(n: SyntaxNode, e: Expr, apply: (leaf: Expr) => Expr): Expr {
    if (e.type === 'binary') {
      e.rhs = this.rightmost(n, e.rhs, apply);
      e.end = e.rhs.end;
      const t = typeOf(e.rhs);
      if (t !== 'scalar' && t !== 'vector')
        this.fail(n, 'binary expression must contain only scalar and instant vector types');
      return e;
    }
    if (e.type === 'unary') {
      e.expr = this.rightmost(n, e.expr, apply);
      e.end = e.expr.end;
      const t = typeOf(e.expr);
      if (t !== 'scalar' && t !== 'vector') {
        this.fail(
          n,
          `unary expression only allowed on expressions of type scalar or instant vector, got "${TYPE_NAMES[t]}"`,
        );
      }
      return e;
    }
    return apply(e);
  }

  private matrixSelector(n: SyntaxNode): Expr {
    const [inner, range] = kids(n);
    const rangeMs = this.duration(range!);
    if (rangeMs <= 0) this.fail(range!, 'duration must be greater than 0');
    return this.rightmost(n, this.expr(inner!), (e): MatrixSelector => {
      if (e.type !== 'vectorSelector') this.fail(n, 'ranges only allowed for vector selectors');
      if (e.offsetMs !== 0 || e.at !== undefined) this.fail(n, 'no offset modifiers allowed before range');
      return { type: 'matrixSelector', selector: e, rangeMs, start: e.start, end: n.to };
    });
  }

  private subquery(n: SyntaxNode): Expr {
    const [inner, range, step] = kids(n);
    const rangeMs = this.duration(range!);
    const stepMs = step ? this.duration(step) : 0;
    if (rangeMs <= 0) this.fail(range!, 'duration must be greater than 0');
    if (step && stepMs <= 0) this.fail(step, 'duration must be greater than 0');
    return this.rightmost(n, this.expr(inner!), (e): Subquery => {
      if (typeOf(e) !== 'vector') {
        this.fail(n, `subquery is only allowed on instant vector, got ${TYPE_NAMES[typeOf(e)]} instead`);
      }
      return { type: 'subquery', expr: e, rangeMs, stepMs, offsetMs: 0, at: undefined, start: e.start, end: n.to };
    });
  }

  /** The selector or subquery an offset or @ applies to. */
  private modifiable(n: SyntaxNode, e: Expr, what: string): VectorSelector | Subquery {
    if (e.type === 'vectorSelector' || e.type === 'subquery') return e;
    if (e.type === 'matrixSelector') return e.selector;
    this.fail(
      n,
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
    );
  }

  private offset(n: SyntaxNode): Expr {
    const [inner, , dur] = kids(n);
    const offsetMs = this.duration(dur!);
    return this.rightmost(n, this.expr(inner!), (e) => {
      const target = this.modifiable(n, e, 'offset');
      if (target.offsetMs !== 0) this.fail(n, 'offset may not be set multiple times');
      target.offsetMs = offsetMs;
      e.end = n.to;
      return e;
    });
  }

  private at(n: SyntaxNode): Expr {
    const [inner, , value] = kids(n);
    let at: AtModifier;
    if (value!.name === 'AtModifierPreprocessors')
      at = this.src(value!).toLowerCase().startsWith('start') ? 'start' : 'end';
    else {
      const secs = parseNumber(this.src(value!));
      if (!Number.isFinite(secs)) this.fail(value!, 'timestamp out of bounds for @ modifier');
      at = Math.round(secs * 1000);
    }
    return this.rightmost(n, this.expr(inner!), (e) => {
      const target = this.modifiable(n, e, '@');
      if (target.at !== undefined) this.fail(n, '@ <timestamp> may not be set multiple times');
      target.at = at;
      e.end = n.to;
      return e;
    });
  }

  private call(n: SyntaxNode): Expr {
    const [ident, body] = kids(n);
    const name = this.src(ident!);
    const def = FUNCTIONS.get(name);
    if (!def) this.fail(ident!, `unknown function with name "${name}"`);
    if (def.experimental && !this.experimental) {
      this.fail(ident!, `function "${name}" is not enabled`);
    }
    const args = kids(body!).map((a) => this.expr(a));
    const min = def.variadic === -1 ? def.args.length - 1 : def.args.length - def.variadic;
    const max = def.variadic === -1 ? Number.POSITIVE_INFINITY : def.args.length;
    if (args.length < min || args.length > max) {
      const expected =
        def.variadic === 0 ? `${def.args.length}` : `${min}${max === Infinity ? ' or more' : ` to ${max}`}`;
      this.fail(n, `expected ${expected} argument(s) in call to "${name}", got ${args.length}`);
    }
    args.forEach((a, i) => {
      const want = def.args[Math.min(i, def.args.length - 1)]!;
      this.expectType(a, want, `call to function "${name}"`);
    });
    return { type: 'call', func: def, args, start: n.from, end: n.to };
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const got = typeOf(e);
    if (got !== want) {
      this.fail(
        { from: e.start, to: e.end },
        `expected type ${TYPE_NAMES[want]} in ${context}, got ${TYPE_NAMES[got]}`,
      );
    }
  }

  private aggregate(n: SyntaxNode): Expr {
    let op: AggregateOp = 'sum';
    let grouping: string[] = [];
    let without = false;
    let args: Expr[] = [];
    for (const c of kids(n)) {
      if (c.name === 'AggregateOp') op = this.src(c).toLowerCase() as AggregateOp;
      else if (c.name === 'AggregateModifier') {
        const [kw, labels] = kids(c);
        without = kw!.name === 'Without';
        grouping = kids(labels!).map((l) => this.labelName(l));
      } else if (c.name === 'FunctionCallBody') args = kids(c).map((a) => this.expr(a));
    }
    const takesParam =
      op === 'topk' ||
      op === 'bottomk' ||
      op === 'quantile' ||
      op === 'count_values' ||
      op === 'limitk' ||
      op === 'limit_ratio';
    const want = takesParam ? 2 : 1;
    if (args.length !== want) {
      this.fail(
        n,
        args.length === 0
          ? 'no arguments for aggregate expression provided'
          : `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    const param = takesParam ? args[0] : undefined;
    const e = args[args.length - 1]!;
    if (param) this.expectType(param, op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
    this.expectType(e, 'vector', 'aggregation expression');
    return { type: 'aggregate', op, param, expr: e, grouping, without, start: n.from, end: n.to };
  }

  private binary(n: SyntaxNode): Expr {
    const ks = kids(n);
    const lhsNode = ks[0]!;
    const rhsNode = ks[ks.length - 1]!;
    const opNode = ks[1]!;
    const op = BINARY_OPS[opNode.name];
    if (!op) this.fail(opNode, `unexpected operator ${this.src(opNode)}`);
    let bool = false;
    let matching: VectorMatching | undefined;
    let sawMatching = false;
    for (const c of ks.slice(2, -1)) {
      if (c.name === 'BoolModifier') bool = true;
      else if (c.name === 'MatchingModifierClause') {
        sawMatching = true;
        matching = this.matching(c);
      } else this.fail(c, `${c.name} is not supported`);
    }
    // lezer reads `-2 ^ 2` as (-2)^2; PromQL binds ^ tighter than unary minus: -(2^2).
    if (op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[-+]/.test(this.src(lhsNode))) {
      const text = this.src(lhsNode);
      const base = {
        type: 'number' as const,
        value: parseNumber(text.slice(1)),
        start: lhsNode.from + 1,
        end: lhsNode.to,
      };
      const rhs = this.expr(rhsNode);
      const pow = this.checkBinary(
        n,
        { type: 'binary', op, lhs: base, rhs, bool, matching, start: base.start, end: n.to },
        sawMatching,
      );
      return { type: 'unary', op: text[0] === '-' ? '-' : '+', expr: pow, start: n.from, end: n.to };
    }
    const lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode);
    return this.checkBinary(n, { type: 'binary', op, lhs, rhs, bool, matching, start: n.from, end: n.to }, sawMatching);
  }

  private checkBinary(n: SyntaxNode, e: Expr & { type: 'binary' }, sawMatching: boolean): Expr {
    const lt = typeOf(e.lhs);
    const rt = typeOf(e.rhs);
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
      this.fail(n, 'binary expression must contain only scalar and instant vector types');
    }
    if (e.bool && !isComparison(e.op)) this.fail(n, 'bool modifier can only be used on comparison operators');
    if (isComparison(e.op) && !e.bool && lt === 'scalar' && rt === 'scalar') {
      this.fail(n, 'comparisons between scalars must use BOOL modifier');
    }
    if (isSetOperator(e.op)) {
      if (lt === 'scalar' || rt === 'scalar') {
        this.fail(n, `set operator "${e.op}" not allowed in binary scalar expression`);
      }
      if (e.matching && e.matching.card !== 'one-to-one') this.fail(n, `no grouping allowed for "${e.op}" operation`);
    }
    if (sawMatching && (lt !== 'vector' || rt !== 'vector')) {
      this.fail(n, 'vector matching only allowed between instant vectors');
    }
    if (lt === 'vector' && rt === 'vector') {
      const m = e.matching ?? { card: 'one-to-one', on: false, labels: [], include: [] };
      if (isSetOperator(e.op)) m.card = 'many-to-many';
      e.matching = m;
    } else e.matching = undefined;
    return e;
  }

  private matching(c: SyntaxNode): VectorMatching {
    const m: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };
    let seenLabels = false;
    for (const k of kids(c)) {
      if (k.name === 'On') m.on = true;
      else if (k.name === 'Ignoring') m.on = false;
      else if (k.name === 'GroupLeft') m.card = 'many-to-one';
      else if (k.name === 'GroupRight') m.card = 'one-to-many';
      else if (k.name === 'GroupingLabels') {
        const names = kids(k).map((l) => this.labelName(l));
        if (!seenLabels) m.labels = names;
        else m.include = names;
        seenLabels = true;
      }
    }
    if (m.on) {
      for (const l of m.include) {
        if (m.labels.includes(l)) this.fail(c, `label "${l}" must not occur in ON and GROUP clause at once`);
      }
    }
    return m;
  }
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.type) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return compileAnchored(m.value).test('');
    case '!~':
      return !compileAnchored(m.value).test('');
  }
}
