// Selectors and the postfix modifiers that apply to them: ranges, subqueries, offset and @.
import { compileRe2, Re2Error } from '@vigil/re2';
import { parseError } from '../errors.js';
import type { Matcher } from '../storage/querier.js';
import type { AtModifier, Expr, MatrixSelector, Subquery, VectorSelector } from './ast.js';
import { typeOf } from './ast.js';
import { parseNumber } from './literals.js';
import { kids, ReaderBase, type SyntaxNode, TYPE_NAMES } from './reader.js';

/** Reads selectors and their modifiers. */
export abstract class SelectorReader extends ReaderBase {
  protected vectorSelector(n: SyntaxNode): VectorSelector {
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
              compileRe2(matcher.value);
            } catch (e) {
              if (!(e instanceof Re2Error)) throw e;
              throw parseError(
                this.text,
                value!.from,
                value!.to,
                `invalid regular expression "${matcher.value}": ${e.reason}`,
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

  /**
   * lezer binds postfix modifiers (`[5m]`, `[5m:1m]`, `offset`, `@`) looser than binary and unary operators:
   * `a + b offset 5m` comes as `(a + b) offset 5m`. PromQL applies them to the rightmost operand.
   */
  protected rightmost(n: SyntaxNode, e: Expr, apply: (leaf: Expr) => Expr): Expr {
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

  protected matrixSelector(n: SyntaxNode): Expr {
    const [inner, range] = kids(n);
    const rangeMs = this.duration(range!);
    if (rangeMs <= 0) this.fail(range!, 'duration must be greater than 0');
    return this.rightmost(n, this.expr(inner!), (e): MatrixSelector => {
      if (e.type !== 'vectorSelector') this.fail(n, 'ranges only allowed for vector selectors');
      if (e.offsetMs !== 0 || e.at !== undefined) this.fail(n, 'no offset modifiers allowed before range');
      return { type: 'matrixSelector', selector: e, rangeMs, start: e.start, end: n.to };
    });
  }

  protected subquery(n: SyntaxNode): Expr {
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
  protected modifiable(n: SyntaxNode, e: Expr, what: string): VectorSelector | Subquery {
    if (e.type === 'vectorSelector' || e.type === 'subquery') return e;
    if (e.type === 'matrixSelector') return e.selector;
    this.fail(
      n,
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
    );
  }

  protected offset(n: SyntaxNode): Expr {
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

  protected at(n: SyntaxNode): Expr {
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
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.type) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return compileRe2(m.value).test('');
    case '!~':
      return !compileRe2(m.value).test('');
  }
}
