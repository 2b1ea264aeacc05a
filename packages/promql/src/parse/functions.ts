// The signature of every PromQL function: argument types, optional/variadic arguments, return type.
import type { ValueType } from './ast.js';

/** What the parser knows of a function. */
export interface FunctionDef {
  name: string;
  args: ValueType[];
  /** 0: exactly `args`; n > 0: the last n args are optional; -1: the last arg repeats (at least once). */
  variadic: number;
  returns: ValueType;
  /** Set for functions Prometheus keeps behind --enable-feature=promql-experimental-functions. */
  experimental?: boolean;
}

const defs: FunctionDef[] = [];
function fn(name: string, args: ValueType[], returns: ValueType, variadic = 0, experimental = false): void {
  defs.push({ name, args, returns, variadic, experimental });
}

for (const name of ['abs', 'ceil', 'floor', 'exp', 'sqrt', 'ln', 'log2', 'log10', 'sgn', 'deg', 'rad', 'timestamp']) {
  fn(name, ['vector'], 'vector');
}
for (const name of ['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh']) {
  fn(name, ['vector'], 'vector');
}
for (const name of ['sort', 'sort_desc', 'absent']) fn(name, ['vector'], 'vector');
for (const name of ['histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar']) {
  fn(name, ['vector'], 'vector');
}
for (const name of [
  'avg_over_time',
  'count_over_time',
  'sum_over_time',
  'min_over_time',
  'max_over_time',
  'last_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'present_over_time',
  'absent_over_time',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'resets',
  'changes',
]) {
  fn(name, ['matrix'], 'vector');
}
for (const name of ['mad_over_time', 'first_over_time', 'ts_of_first_over_time', 'ts_of_last_over_time']) {
  fn(name, ['matrix'], 'vector', 0, true);
}
fn('ts_of_max_over_time', ['matrix'], 'vector', 0, true);
fn('ts_of_min_over_time', ['matrix'], 'vector', 0, true);
fn('quantile_over_time', ['scalar', 'matrix'], 'vector');
fn('predict_linear', ['matrix', 'scalar'], 'vector');
fn('double_exponential_smoothing', ['matrix', 'scalar', 'scalar'], 'vector', 0, true);
fn('histogram_quantile', ['scalar', 'vector'], 'vector');
fn('histogram_quantiles', ['vector', 'string', 'scalar', 'scalar'], 'vector', -1, true);
fn('histogram_fraction', ['scalar', 'scalar', 'vector'], 'vector');
fn('clamp', ['vector', 'scalar', 'scalar'], 'vector');
fn('clamp_min', ['vector', 'scalar'], 'vector');
fn('clamp_max', ['vector', 'scalar'], 'vector');
fn('round', ['vector', 'scalar'], 'vector', 1);
for (const name of ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year']) {
  fn(name, ['vector'], 'vector', 1);
}
fn('label_replace', ['vector', 'string', 'string', 'string', 'string'], 'vector');
fn('label_join', ['vector', 'string', 'string', 'string'], 'vector', -1);
fn('sort_by_label', ['vector', 'string'], 'vector', -1, true);
fn('sort_by_label_desc', ['vector', 'string'], 'vector', -1, true);
fn('scalar', ['vector'], 'scalar');
fn('vector', ['scalar'], 'vector');
fn('time', [], 'scalar');
// Prometheus's duration-expression functions, usable as scalars: the query's step, range, start and end.
for (const name of ['step', 'range', 'start', 'end']) fn(name, [], 'scalar', 0, true);
fn('pi', [], 'scalar');

/** Every function by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(defs.map((d) => [d.name, d]));
