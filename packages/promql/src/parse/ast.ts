// The typed syntax tree the parser builds from lezer's concrete tree and the evaluator walks.
import type { Matcher } from '../storage/querier.js';
import type { FunctionDef } from './functions.js';

/** The four PromQL value types. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Offsets [start, end) of a node in the expression text. */
export interface Span {
  start: number;
  end: number;
}

/** `@` modifier: a fixed time in ms, or the query's start()/end(). */
export type AtModifier = number | 'start' | 'end';

/** A number literal. */
export interface NumberLiteral extends Span {
  type: 'number';
  value: number;
}

/** A string literal. */
export interface StringLiteral extends Span {
  type: 'string';
  value: string;
}

/** An instant vector selector: `name{matchers} offset 5m @ 100`. */
export interface VectorSelector extends Span {
  type: 'vectorSelector';
  name: string | undefined;
  matchers: Matcher[];
  offsetMs: number;
  at: AtModifier | undefined;
}

/** A range vector selector: `selector[5m]`. */
export interface MatrixSelector extends Span {
  type: 'matrixSelector';
  selector: VectorSelector;
  rangeMs: number;
}

/** A subquery: `expr[range:step] offset 5m @ 100`; stepMs 0 means the engine's default. */
export interface Subquery extends Span {
  type: 'subquery';
  expr: Expr;
  rangeMs: number;
  stepMs: number;
  offsetMs: number;
  at: AtModifier | undefined;
}

/** A function call. */
export interface Call extends Span {
  type: 'call';
  func: FunctionDef;
  args: Expr[];
}

/** The aggregation operators. */
export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

/** An aggregation: `sum by (a) (expr)`, `topk(3, expr)`. */
export interface Aggregate extends Span {
  type: 'aggregate';
  op: AggregateOp;
  param: Expr | undefined;
  expr: Expr;
  grouping: string[];
  without: boolean;
}

/** Binary operators. */
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** How two vectors match in a binary operation. */
export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  on: boolean;
  labels: string[];
  include: string[];
}

/** A binary operation. `matching` is set when both sides are vectors. */
export interface Binary extends Span {
  type: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching: VectorMatching | undefined;
}

/** A unary `-expr` or `+expr`. */
export interface Unary extends Span {
  type: 'unary';
  op: '-' | '+';
  expr: Expr;
}

/** A parenthesized expression. */
export interface Paren extends Span {
  type: 'paren';
  expr: Expr;
}

/** Any PromQL expression. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Subquery
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren;

/** The value type an expression evaluates to. */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
    case 'aggregate':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return e.func.returns;
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(e.expr);
  }
}

/** Comparison operators (filter unless `bool`). */
export function isComparison(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** Set operators (`and`, `or`, `unless`). */
export function isSetOperator(op: BinaryOp): boolean {
  return op === 'and' || op === 'or' || op === 'unless';
}
