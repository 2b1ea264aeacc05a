// Function calls, aggregations and binary operators, with Prometheus's type checks.
import type { AggregateOp, BinaryOp, Expr, VectorMatching } from './ast.js';
import { isComparison, isSetOperator, typeOf } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { parseNumber } from './literals.js';
import { kids, type SyntaxNode, TYPE_NAMES } from './reader.js';
import { SelectorReader } from './selectors.js';

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

/** Reads a whole expression. */
export class TreeReader extends SelectorReader {
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

  protected call(n: SyntaxNode): Expr {
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

  protected aggregate(n: SyntaxNode): Expr {
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

  protected binary(n: SyntaxNode): Expr {
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

  protected checkBinary(n: SyntaxNode, e: Expr & { type: 'binary' }, sawMatching: boolean): Expr {
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

  protected matching(c: SyntaxNode): VectorMatching {
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
